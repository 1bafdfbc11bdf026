//! The bridge to the CodeMirror 6 bundle (`www/editor/editor.js`, loaded as a module script that sets
//! `window.aslEditor`). Offsets crossing the bridge are UTF-16 code units, as JavaScript counts them.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// One change reported by the editor, in UTF-16 offsets, relative to the text after the previous one.
pub struct Change {
    /// Start of the replaced range.
    pub from: usize,
    /// End of the replaced range.
    pub to: usize,
    /// The inserted text.
    pub insert: String,
}

/// What the editor reports back.
pub struct Callbacks {
    /// The user changed the text.
    pub on_change: Box<dyn FnMut(Vec<Change>)>,
    /// The user moved the cursor (UTF-16 offset).
    pub on_cursor: Box<dyn FnMut(usize)>,
    /// The user paused typing or left the editor.
    pub on_idle: Box<dyn FnMut()>,
    /// The user pressed undo or redo in the editor (`true` for redo).
    pub on_history: Box<dyn FnMut(bool)>,
}

/// A mounted editor.
pub struct Editor {
    handle: JsValue,
    _closures: Vec<JsValue>,
    /// The names last sent to completion.
    names: std::cell::RefCell<Vec<String>>,
}

/// One diagnostic for the editor's lint markers, in UTF-16 offsets.
pub struct Marker {
    /// Start offset.
    pub from: usize,
    /// End offset.
    pub to: usize,
    /// True for an error, false for a warning.
    pub error: bool,
    /// The message.
    pub message: String,
}

fn api() -> Option<JsValue> {
    let window = web_sys::window()?;
    let api = js_sys::Reflect::get(&window, &JsValue::from_str("aslEditor")).ok()?;
    (!api.is_undefined() && !api.is_null()).then_some(api)
}

/// Runs `f` once the editor bundle has loaded (now if it already has).
pub fn when_ready(f: impl FnOnce() + 'static) {
    if api().is_some() {
        f();
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(f);
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
        "asl-editor-ready",
        callback.unchecked_ref(),
        &options,
    );
}

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

fn field_usize(obj: &JsValue, key: &str) -> usize {
    js_sys::Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0) as usize
}

impl Editor {
    /// Mounts an editor in `parent` with `text`; `None` when the bundle is not loaded.
    pub fn mount(
        parent: &web_sys::Element,
        text: &str,
        yaml: bool,
        cb: Callbacks,
    ) -> Option<Editor> {
        let api = api()?;
        let Callbacks {
            mut on_change,
            mut on_cursor,
            on_idle,
            mut on_history,
        } = cb;
        let change = Closure::<dyn FnMut(JsValue)>::new(move |list: JsValue| {
            let array: js_sys::Array = list.unchecked_into();
            let changes = array
                .iter()
                .map(|c| Change {
                    from: field_usize(&c, "from"),
                    to: field_usize(&c, "to"),
                    insert: js_sys::Reflect::get(&c, &JsValue::from_str("insert"))
                        .ok()
                        .and_then(|v| v.as_string())
                        .unwrap_or_default(),
                })
                .collect();
            on_change(changes);
        })
        .into_js_value();
        let cursor = Closure::<dyn FnMut(JsValue)>::new(move |pos: JsValue| {
            on_cursor(pos.as_f64().unwrap_or(0.0) as usize);
        })
        .into_js_value();
        let idle = Closure::<dyn FnMut()>::new(on_idle).into_js_value();
        let (undo_cb, redo_cb) = {
            let history =
                std::rc::Rc::new(std::cell::RefCell::new(move |redo: bool| on_history(redo)));
            let h1 = history.clone();
            let undo =
                Closure::<dyn FnMut()>::new(move || (h1.borrow_mut())(false)).into_js_value();
            let redo =
                Closure::<dyn FnMut()>::new(move || (history.borrow_mut())(true)).into_js_value();
            (undo, redo)
        };
        let opts = js_sys::Object::new();
        set(&opts, "text", &JsValue::from_str(text));
        set(&opts, "yaml", &JsValue::from_bool(yaml));
        set(&opts, "onChange", &change);
        set(&opts, "onCursor", &cursor);
        set(&opts, "onIdle", &idle);
        set(&opts, "onUndo", &undo_cb);
        set(&opts, "onRedo", &redo_cb);
        let mount: js_sys::Function = js_sys::Reflect::get(&api, &JsValue::from_str("mount"))
            .ok()?
            .dyn_into()
            .ok()?;
        let handle = mount.call2(&api, parent, &opts).ok()?;
        Some(Editor {
            handle,
            _closures: vec![change, cursor, idle, undo_cb, redo_cb],
            names: std::cell::RefCell::new(Vec::new()),
        })
    }

    fn call(&self, method: &str, args: &[JsValue]) {
        let Ok(f) = js_sys::Reflect::get(&self.handle, &JsValue::from_str(method)) else {
            return;
        };
        let Ok(f) = f.dyn_into::<js_sys::Function>() else {
            return;
        };
        let array: js_sys::Array = args.iter().collect();
        let _ = f.apply(&self.handle, &array);
    }

    /// Makes the editor show `text` (a minimal change, not reported back).
    pub fn set_text(&self, text: &str) {
        self.call("setText", &[JsValue::from_str(text)]);
    }

    /// Switches the syntax between JSON and YAML.
    pub fn set_yaml(&self, yaml: bool) {
        self.call("setYaml", &[JsValue::from_bool(yaml)]);
    }

    /// Switches the editor's dark theme flag.
    pub fn set_dark(&self, dark: bool) {
        self.call("setDark", &[JsValue::from_bool(dark)]);
    }

    /// The state names offered by completion (sent only when they changed: most keystrokes
    /// do not rename anything).
    pub fn set_names(&self, names: &[String]) {
        if *self.names.borrow() == names {
            return;
        }
        *self.names.borrow_mut() = names.to_vec();
        let array: js_sys::Array = names.iter().map(|n| JsValue::from_str(n)).collect();
        self.call("setNames", &[array.into()]);
    }

    /// Shows lint markers.
    pub fn set_diagnostics(&self, markers: &[Marker]) {
        let array = js_sys::Array::new();
        for m in markers {
            let obj = js_sys::Object::new();
            set(&obj, "from", &JsValue::from_f64(m.from as f64));
            set(&obj, "to", &JsValue::from_f64(m.to as f64));
            set(
                &obj,
                "severity",
                &JsValue::from_str(if m.error { "error" } else { "warning" }),
            );
            set(&obj, "message", &JsValue::from_str(&m.message));
            array.push(&obj);
        }
        self.call("setDiagnostics", &[array.into()]);
    }

    /// Selects a range and scrolls to it.
    pub fn reveal(&self, from: usize, to: usize) {
        self.call(
            "reveal",
            &[JsValue::from_f64(from as f64), JsValue::from_f64(to as f64)],
        );
    }
}

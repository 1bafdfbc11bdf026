//! The page's JavaScript API, `window.aslStudio`: `registerMock(stateNameOrResourcePattern, fn)` lets an
//! embedding page answer Task states; `fn(input, context)` returns a value or a Promise.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

thread_local! {
    static MOCKS: RefCell<Vec<(String, js_sys::Function)>> = const { RefCell::new(Vec::new()) };
}

/// Installs `window.aslStudio` (idempotent).
pub fn install() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let api = js_sys::Object::new();
    let register = Closure::<dyn FnMut(JsValue, JsValue)>::new(|pattern: JsValue, f: JsValue| {
        if let (Some(pattern), Ok(f)) = (pattern.as_string(), f.dyn_into::<js_sys::Function>()) {
            MOCKS.with(|m| {
                let mut m = m.borrow_mut();
                m.retain(|(p, _)| *p != pattern);
                m.push((pattern, f));
            });
        }
    })
    .into_js_value();
    let clear =
        Closure::<dyn FnMut()>::new(|| MOCKS.with(|m| m.borrow_mut().clear())).into_js_value();
    let _ = js_sys::Reflect::set(&api, &JsValue::from_str("registerMock"), &register);
    let _ = js_sys::Reflect::set(&api, &JsValue::from_str("clearMocks"), &clear);
    let _ = js_sys::Reflect::set(&window, &JsValue::from_str("aslStudio"), &api);
}

/// What a page mock said.
pub enum JsAnswer {
    /// A plain value.
    Value(serde_json::Value),
    /// A Promise, to await.
    Promise(js_sys::Promise),
    /// The function threw.
    Threw(String, String),
}

fn glob(pattern: &str, text: &str) -> bool {
    asl_interp::mock::glob_match(pattern, text)
}

/// Calls the page mock registered for a state name or a matching resource, if any.
pub fn call_mock(
    state: &str,
    resource: &str,
    input: &serde_json::Value,
    context: &serde_json::Value,
) -> Option<JsAnswer> {
    let f = MOCKS.with(|m| {
        let m = m.borrow();
        m.iter()
            .find(|(p, _)| p == state)
            .or_else(|| m.iter().find(|(p, _)| glob(p, resource)))
            .map(|(_, f)| f.clone())
    })?;
    let input = js_sys::JSON::parse(&input.to_string()).unwrap_or(JsValue::NULL);
    let context = js_sys::JSON::parse(&context.to_string()).unwrap_or(JsValue::NULL);
    Some(match f.call2(&JsValue::NULL, &input, &context) {
        Ok(v) => match v.dyn_into::<js_sys::Promise>() {
            Ok(p) => JsAnswer::Promise(p),
            Err(v) => JsAnswer::Value(to_json(&v)),
        },
        Err(e) => {
            let (name, message) = error_parts(&e);
            JsAnswer::Threw(name, message)
        }
    })
}

/// Converts a JavaScript value to JSON (`null` for what JSON cannot carry).
pub fn to_json(v: &JsValue) -> serde_json::Value {
    if v.is_undefined() {
        return serde_json::Value::Null;
    }
    js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// The name and message of a thrown value.
pub fn error_parts(e: &JsValue) -> (String, String) {
    let get = |k: &str| {
        js_sys::Reflect::get(e, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
    };
    match (get("name"), get("message")) {
        (Some(name), Some(message)) => (name, message),
        _ => (
            "Error".into(),
            e.as_string().unwrap_or_else(|| "thrown".into()),
        ),
    }
}

/// Awaits a Promise.
pub async fn await_promise(p: js_sys::Promise) -> Result<serde_json::Value, (String, String)> {
    match wasm_bindgen_futures::JsFuture::from(p).await {
        Ok(v) => Ok(to_json(&v)),
        Err(e) => Err(error_parts(&e)),
    }
}

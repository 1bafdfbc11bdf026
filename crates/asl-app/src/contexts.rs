//! The studio context: the headless designer behind a reactive handle, the open documents, the
//! viewport, the drag in progress and the code editor bridge. Components read it with `use_studio()`.

use std::rc::Rc;

use asl_designer::{
    AppAction, Command, Designer, Document, Layout, Outcome, Palette, Selection, Settings,
};
use asl_graph::{RenderOptions, Scene};
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::platform::dom::{self, Debounce, DropHit};
use crate::platform::editor::{Callbacks, Change, Editor, Marker};
use crate::platform::storage;
use crate::text::{byte_to_utf16, utf16_to_byte};

const DOCS_KEY: &str = "asl-studio.docs";
const CURRENT_KEY: &str = "asl-studio.current";
const THEME_KEY: &str = "asl-studio.theme";

/// The three modes of the studio.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Palette, canvas and inspector.
    Design,
    /// Code editor beside the graph.
    Code,
    /// Execution of the machine.
    Run,
}

/// Where a command came from: the code editor is not told about its own changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Buttons, forms, the canvas and shortcuts.
    Ui,
    /// The code editor.
    Editor,
}

/// One saved document in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocMeta {
    /// Its storage id.
    pub id: String,
    /// Its display name.
    pub name: String,
}

/// What is being dragged.
#[derive(Clone, Debug, PartialEq)]
pub enum DragItem {
    /// A palette item (with its label for the drag ghost).
    Palette(Palette, String),
    /// A state of the canvas, to move elsewhere.
    State(String),
    /// A pattern of the palette (template id and title), to insert into the workflow.
    Pattern(String, String),
}

/// A drag in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Drag {
    /// What is dragged.
    pub item: DragItem,
    /// Pointer position in the viewport.
    pub x: f64,
    /// Pointer position in the viewport.
    pub y: f64,
    /// Where it started.
    pub start: (f64, f64),
    /// True once the pointer moved enough to count as a drag.
    pub moved: bool,
    /// The drop target under the pointer.
    pub over: Option<DropHit>,
}

impl Drag {
    /// A drag of `item` starting at a primary-button press; `None` for other buttons.
    pub fn start(ev: &web_sys::PointerEvent, item: DragItem) -> Option<Drag> {
        if ev.button() != 0 {
            return None;
        }
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        Some(Drag {
            item,
            x,
            y,
            start: (x, y),
            moved: false,
            over: None,
        })
    }
}

/// The visible part of the scene: its top-left corner and zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// Left edge in scene units.
    pub x: f64,
    /// Top edge in scene units.
    pub y: f64,
    /// Zoom factor.
    pub zoom: f64,
}

/// The studio handle, copied into every component.
#[derive(Clone, Copy)]
pub struct Studio {
    designer: StoredValue<Designer, LocalStorage>,
    editor: StoredValue<Option<Editor>, LocalStorage>,
    save_timer: StoredValue<Debounce, LocalStorage>,
    last_scene: StoredValue<Option<Rc<Scene>>, LocalStorage>,
    /// The previous keystroke's document and scene, freed when the browser is idle.
    retired: StoredValue<dom::Retired, LocalStorage>,
    /// Layout options with the browser's real text measurements.
    render: StoredValue<RenderOptions, LocalStorage>,
    /// Bumped on every document change.
    pub rev: RwSignal<u64>,
    /// Bumped when the laid-out scene changed.
    pub scene_rev: RwSignal<u64>,
    /// The selection, mirrored from the designer.
    pub selection: RwSignal<Selection>,
    /// The current mode.
    pub mode: RwSignal<Mode>,
    /// Dark theme.
    pub dark: RwSignal<bool>,
    /// A message for the user (why a command did nothing, what was saved).
    pub notice: RwSignal<Option<String>>,
    /// The execution overlay drawn on the graph in Run mode.
    pub overlay: RwSignal<Option<asl_graph::Overlay>>,
    /// The drag in progress.
    pub drag: RwSignal<Option<Drag>>,
    /// The insertion point chosen by clicking an edge, a branch or a Map box (click-to-insert).
    pub target: RwSignal<Option<DropHit>>,
    /// The canvas viewport.
    pub view: RwSignal<View>,
    /// The canvas element's size.
    pub host_size: RwSignal<(f64, f64)>,
    /// Fit the graph after structural changes until the user pans or zooms.
    pub auto_fit: RwSignal<bool>,
    /// The saved documents.
    pub docs: RwSignal<Vec<DocMeta>>,
    /// The id of the open document.
    pub current: RwSignal<String>,
    /// Whether the help dialog is open.
    pub help: RwSignal<bool>,
    /// Milliseconds the last code keystroke took to process (designer, scene, sync).
    pub last_keystroke_ms: RwSignal<f64>,
}

/// Returns the studio from context.
pub fn use_studio() -> Studio {
    expect_context::<Studio>()
}

fn load_docs() -> Vec<DocMeta> {
    let Some(text) = storage::get(DOCS_KEY) else {
        return Vec::new();
    };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(&text) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|v| {
            Some(DocMeta {
                id: v.get("id")?.as_str()?.to_owned(),
                name: v.get("name")?.as_str()?.to_owned(),
            })
        })
        .collect()
}

fn doc_key(id: &str) -> String {
    format!("asl-studio.doc.{id}")
}

fn read_doc(id: &str) -> Option<Document> {
    let stored: Value = serde_json::from_str(&storage::get(&doc_key(id))?).ok()?;
    let text = stored.get("text")?.as_str()?;
    let mut doc = Document::new(text);
    if let Some(layout) = stored.get("layout").cloned()
        && let Ok(layout) = Layout::from_value(layout)
    {
        doc = doc.with_layout(layout);
    }
    if let Some(settings) = stored.get("settings").cloned()
        && let Ok(settings) = serde_json::from_value::<Settings>(settings)
    {
        doc = doc.with_settings(settings);
    }
    Some(doc)
}

fn new_id() -> String {
    format!("d{}", js_sys::Date::now() as u64)
}

/// The document for a template id (`blank` for an empty machine).
pub fn template_document(id: &str) -> (Document, String) {
    match asl_designer::template(id) {
        Some(t) => {
            let doc = t.document();
            (doc, t.title.to_owned())
        }
        None => (Document::default(), "Untitled".to_owned()),
    }
}

impl Studio {
    /// Creates the studio, restoring the last open document from local storage.
    pub fn new() -> Studio {
        let docs = load_docs();
        let current = storage::get(CURRENT_KEY).filter(|id| docs.iter().any(|d| &d.id == id));
        let (document, current, docs) = match current.as_deref().and_then(read_doc) {
            Some(doc) => (doc, current.unwrap_or_default(), docs),
            None => {
                let (doc, name) = template_document("hello-world");
                let id = new_id();
                let mut docs = docs;
                docs.push(DocMeta {
                    id: id.clone(),
                    name,
                });
                (doc, id, docs)
            }
        };
        let dark = storage::get(THEME_KEY).as_deref() == Some("dark");
        let studio = Studio {
            designer: StoredValue::new_local(Designer::new(document)),
            editor: StoredValue::new_local(None),
            save_timer: StoredValue::new_local(Debounce::default()),
            last_scene: StoredValue::new_local(None),
            retired: StoredValue::new_local(dom::Retired::default()),
            render: StoredValue::new_local(RenderOptions {
                measure: Some(Rc::new(crate::platform::measure::CanvasMeasure::new())),
                ..RenderOptions::default()
            }),
            rev: RwSignal::new(0),
            scene_rev: RwSignal::new(0),
            selection: RwSignal::new(Selection::default()),
            mode: RwSignal::new(Mode::Design),
            dark: RwSignal::new(dark),
            notice: RwSignal::new(None),
            overlay: RwSignal::new(None),
            drag: RwSignal::new(None),
            target: RwSignal::new(None),
            view: RwSignal::new(View {
                x: 0.0,
                y: 0.0,
                zoom: 1.0,
            }),
            host_size: RwSignal::new((800.0, 600.0)),
            auto_fit: RwSignal::new(true),
            docs: RwSignal::new(docs),
            current: RwSignal::new(current),
            help: RwSignal::new(false),
            last_keystroke_ms: RwSignal::new(0.0),
        };
        studio.save_now();
        studio
    }

    /// Reads the designer.
    pub fn with<R>(&self, f: impl FnOnce(&Designer) -> R) -> R {
        self.designer.with_value(f)
    }

    /// The current text.
    pub fn text(&self) -> String {
        self.with(|d| d.text().to_owned())
    }

    /// The current scene (cached by the designer).
    pub fn scene(&self) -> Rc<Scene> {
        self.render
            .with_value(|options| self.with(|d| d.scene(options)))
    }

    /// Applies a command from the interface.
    pub fn apply(&self, command: Command) -> Outcome {
        self.apply_from(command, Origin::Ui)
    }

    /// Applies a command and updates everything that shows the document.
    pub fn apply_from(&self, command: Command, origin: Origin) -> Outcome {
        let outcome = self
            .designer
            .try_update_value(|d| d.apply(command))
            .unwrap_or_default();
        self.after(&outcome, origin);
        outcome
    }

    /// Presses a keyboard chord; `true` when it was bound.
    pub fn press(&self, chord: &str) -> bool {
        let outcome = self.designer.try_update_value(|d| d.press(chord)).flatten();
        match outcome {
            Some(outcome) => {
                self.after(&outcome, Origin::Ui);
                true
            }
            None => false,
        }
    }

    /// Reflects an outcome: signals, the code editor, autosave, app actions and messages.
    pub fn after(&self, outcome: &Outcome, origin: Origin) {
        if outcome.document_changed {
            self.document_changed(origin);
        }
        if outcome.selection_changed || outcome.document_changed {
            let selection = self.with(|d| d.selection().clone());
            if self.selection.get_untracked() != selection {
                self.selection.set(selection);
                if origin == Origin::Ui {
                    self.reveal_selection();
                }
            }
        }
        match (&outcome.error, &outcome.notice) {
            (Some(error), _) => self.notice.set(Some(error.clone())),
            (None, Some(notice)) => self.notice.set(Some(notice.clone())),
            (None, None) if outcome.document_changed => self.notice.set(None),
            (None, None) => {}
        }
        if let Some(action) = &outcome.action {
            match action {
                AppAction::Save => {
                    self.save_now();
                    self.designer.update_value(|d| d.mark_saved());
                    self.notice.set(Some("Saved in this browser".into()));
                }
                AppAction::FitView => self.fit(),
                AppAction::ZoomIn => self.zoom_by(1.2, None),
                AppAction::ZoomOut => self.zoom_by(1.0 / 1.2, None),
                AppAction::BeginRename(_) => {
                    self.mode.set(Mode::Design);
                    dom::next_tick(|| dom::focus_test_id("inspector-name"));
                }
            }
        }
    }

    fn document_changed(&self, origin: Origin) {
        self.rev.update(|r| *r += 1);
        let scene = self.scene();
        let changed = self
            .last_scene
            .with_value(|last| last.as_ref().is_none_or(|l| !Rc::ptr_eq(l, &scene)));
        if changed {
            self.last_scene.set_value(Some(scene));
            self.scene_rev.update(|r| *r += 1);
            if self.auto_fit.get_untracked() {
                let studio = *self;
                dom::next_tick(move || studio.fit());
            }
        }
        if origin == Origin::Ui {
            let text = self.text();
            self.editor.with_value(|e| {
                if let Some(e) = e {
                    e.set_text(&text);
                }
            });
        }
        // Lint markers follow every keystroke in the same task as the graph (no debounce), so
        // that keystroke -> diagnostics and graph fits in one frame; saving waits for a pause.
        self.push_diagnostics();
        let studio = *self;
        self.save_timer.with_value(|save| {
            save.run(300, move || studio.save_now());
        });
    }

    /// Sends the diagnostics and state names to the code editor.
    pub fn push_diagnostics(&self) {
        let (markers, names) = self.with(|d| {
            let text = d.text();
            // One scan of the text, not two per diagnostic: most documents are ASCII.
            let ascii = text.is_ascii();
            let utf16 = |b: usize| {
                if ascii {
                    b.min(text.len())
                } else {
                    byte_to_utf16(text, b)
                }
            };
            let markers: Vec<Marker> = d
                .document()
                .diagnostics()
                .iter()
                .map(|diag| Marker {
                    from: utf16(diag.span.start),
                    to: utf16(diag.span.end),
                    error: diag.severity == asl_core::Severity::Error,
                    message: format!("{} [{}]", diag.message, diag.code),
                })
                .collect();
            let names: Vec<String> = d
                .document()
                .outline()
                .names()
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
            (markers, names)
        });
        self.editor.with_value(|e| {
            if let Some(e) = e {
                e.set_diagnostics(&markers);
                e.set_names(&names);
            }
        });
    }

    /// Selects the selected state's text in the code editor.
    pub fn reveal_selection(&self) {
        let range = self.with(|d| {
            d.selection_range().map(|span| {
                let text = d.text();
                (
                    byte_to_utf16(text, span.start),
                    byte_to_utf16(text, span.end),
                )
            })
        });
        if let Some((from, to)) = range {
            self.editor.with_value(|e| {
                if let Some(e) = e {
                    e.reveal(from, to);
                }
            });
        }
    }

    /// Mounts the code editor in `parent` once its bundle has loaded.
    pub fn mount_editor(&self, parent: web_sys::Element) {
        let studio = *self;
        crate::platform::editor::when_ready(move || {
            let (text, yaml) = studio.with(|d| {
                (
                    d.text().to_owned(),
                    d.document().format() == asl_designer::Format::Yaml,
                )
            });
            let callbacks = Callbacks {
                on_change: Box::new(move |changes| studio.editor_changed(changes)),
                on_cursor: Box::new(move |pos| {
                    let offset = studio.with(|d| utf16_to_byte(d.text(), pos));
                    studio.apply_from(Command::SelectAtOffset(offset), Origin::Editor);
                }),
                on_idle: Box::new(move || {
                    studio.apply_from(Command::Checkpoint, Origin::Editor);
                }),
                on_history: Box::new(move |redo| {
                    studio.apply(if redo { Command::Redo } else { Command::Undo });
                }),
            };
            if let Some(editor) = Editor::mount(&parent, &text, yaml, callbacks) {
                editor.set_dark(studio.dark.get_untracked());
                studio.editor.set_value(Some(editor));
                studio.push_diagnostics();
            }
        });
    }

    /// Tells the code editor about the theme.
    pub fn editor_theme(&self, dark: bool) {
        self.editor.with_value(|e| {
            if let Some(e) = e {
                e.set_dark(dark);
            }
        });
    }

    fn editor_changed(&self, changes: Vec<Change>) {
        let started = dom::now_ms();
        // Held until the browser is idle, so that freeing them is not part of the keystroke.
        let previous = (
            self.with(|d| d.document().clone()),
            self.last_scene.with_value(Clone::clone),
        );
        let mut changed = false;
        for change in changes {
            let (from, to) = self.with(|d| {
                let text = d.text();
                (
                    utf16_to_byte(text, change.from),
                    utf16_to_byte(text, change.to),
                )
            });
            let outcome = self
                .designer
                .try_update_value(|d| {
                    d.apply(Command::SetText {
                        range: asl_designer::Span::new(from, to),
                        insert: change.insert,
                    })
                })
                .unwrap_or_default();
            changed |= outcome.document_changed;
        }
        if changed {
            self.document_changed(Origin::Editor);
        }
        self.retired.with_value(|r| r.retire(previous));
        self.last_keystroke_ms.set(dom::now_ms() - started);
    }

    /// Saves the open document and the list to local storage.
    pub fn save_now(&self) {
        let id = self.current.get_untracked();
        let stored = self.with(|d| {
            let doc = d.document();
            json!({
                "text": doc.text(),
                "layout": serde_json::from_str::<Value>(&doc.layout().to_json()).unwrap_or(Value::Null),
                "settings": serde_json::to_value(doc.settings()).unwrap_or(Value::Null),
            })
        });
        storage::set(&doc_key(&id), &stored.to_string());
        storage::set(CURRENT_KEY, &id);
        let list: Vec<Value> = self
            .docs
            .get_untracked()
            .iter()
            .map(|d| json!({"id": d.id, "name": d.name}))
            .collect();
        storage::set(DOCS_KEY, &Value::Array(list).to_string());
    }

    /// Replaces the open document (after saving the current one).
    fn load(&self, document: Document) {
        let outcome = self
            .designer
            .try_update_value(|d| d.load(document))
            .unwrap_or_default();
        let (text, yaml) = self.with(|d| {
            (
                d.text().to_owned(),
                d.document().format() == asl_designer::Format::Yaml,
            )
        });
        self.editor.with_value(|e| {
            if let Some(e) = e {
                e.set_text(&text);
                e.set_yaml(yaml);
            }
        });
        self.auto_fit.set(true);
        self.after(&outcome, Origin::Editor);
        self.document_changed(Origin::Editor);
        self.selection.set(Selection::default());
    }

    /// Opens a new document in the list.
    pub fn open_new(&self, document: Document, name: String) {
        self.save_now();
        let mut id = new_id();
        // Two documents opened in the same millisecond (a share link at start-up) need two ids.
        while self
            .docs
            .with_untracked(|docs| docs.iter().any(|d| d.id == id))
        {
            id.push('a');
        }
        self.docs.update(|docs| {
            docs.push(DocMeta {
                id: id.clone(),
                name,
            })
        });
        self.current.set(id);
        self.load(document);
        self.save_now();
    }

    /// Switches to another saved document.
    pub fn switch_to(&self, id: &str) {
        if id == self.current.get_untracked() {
            return;
        }
        self.save_now();
        if let Some(doc) = read_doc(id) {
            self.current.set(id.to_owned());
            self.load(doc);
            self.save_now();
        }
    }

    /// True when this browser had no saved documents before the studio started (a fresh profile).
    pub fn had_saved_documents() -> bool {
        storage::get(DOCS_KEY).is_some()
    }

    /// Removes a document that is not the open one from the list and from storage.
    pub fn forget(&self, id: &str) {
        if id == self.current.get_untracked() {
            return;
        }
        self.docs.update(|docs| docs.retain(|d| d.id != id));
        storage::remove(&doc_key(id));
        self.save_now();
    }

    /// Removes the open document from the list (keeping at least one).
    pub fn delete_current(&self) {
        let id = self.current.get_untracked();
        let docs: Vec<DocMeta> = self
            .docs
            .get_untracked()
            .into_iter()
            .filter(|d| d.id != id)
            .collect();
        storage::remove(&doc_key(&id));
        match docs.first().cloned() {
            Some(next) => {
                self.docs.set(docs);
                if let Some(doc) = read_doc(&next.id) {
                    self.current.set(next.id);
                    self.load(doc);
                }
                self.save_now();
            }
            None => {
                self.docs.set(Vec::new());
                let (doc, name) = template_document("blank");
                self.open_new(doc, name);
            }
        }
    }

    /// The display name of the open document.
    pub fn current_name(&self) -> String {
        let id = self.current.get_untracked();
        self.docs
            .with_untracked(|docs| docs.iter().find(|d| d.id == id).map(|d| d.name.clone()))
            .unwrap_or_default()
    }

    /// Renames the open document in the list.
    pub fn rename_current(&self, name: String) {
        let id = self.current.get_untracked();
        self.docs.update(|docs| {
            for d in docs.iter_mut().filter(|d| d.id == id) {
                d.name = name.clone();
            }
        });
        self.save_now();
    }

    /// Fits the whole graph in the canvas.
    pub fn fit(&self) {
        let scene = self.scene();
        let (w, h) = self.host_size.get_untracked();
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        let zoom = (w / scene.width).min(h / scene.height).clamp(0.1, 1.2);
        self.view.set(View {
            x: (scene.width - w / zoom) / 2.0,
            y: (scene.height - h / zoom) / 2.0,
            zoom,
        });
    }

    /// Zooms by a factor around a point of the canvas (its centre when `None`).
    pub fn zoom_by(&self, factor: f64, around: Option<(f64, f64)>) {
        let (w, h) = self.host_size.get_untracked();
        let (px, py) = around.unwrap_or((w / 2.0, h / 2.0));
        self.auto_fit.set(false);
        self.view.update(|v| {
            let zoom = (v.zoom * factor).clamp(0.1, 4.0);
            let sx = v.x + px / v.zoom;
            let sy = v.y + py / v.zoom;
            v.x = sx - px / zoom;
            v.y = sy - py / zoom;
            v.zoom = zoom;
        });
    }
}

impl Studio {
    /// The overlay status class of a state (reactive).
    pub fn run_status(&self, name: &str) -> Option<&'static str> {
        self.overlay.with(|o| {
            o.as_ref()
                .and_then(|o| o.node_status.get(name).map(|s| s.class()))
        })
    }

    /// `taken` or `not-taken` when the overlay shows transition coverage (reactive).
    pub fn edge_coverage(&self, from: &str, to: &str) -> Option<&'static str> {
        self.overlay.with(|o| {
            let taken = o.as_ref()?.edge_taken.as_ref()?;
            Some(if taken.contains(&(from.to_owned(), to.to_owned())) {
                "taken"
            } else {
                "not-taken"
            })
        })
    }

    /// The overlay retry and iteration badges of a state (reactive).
    pub fn run_badges(&self, name: &str, node: &asl_graph::SceneNode) -> impl IntoView + use<> {
        let studio = *self;
        let name = name.to_owned();
        let r = node.rect;
        move || {
            let (retries, iterations) = studio.overlay.with(|o| {
                o.as_ref()
                    .and_then(|o| o.badges.get(&name).copied())
                    .unwrap_or((0, 0))
            });
            let mut x = r.x + r.width;
            let mut out = Vec::new();
            for (count, text, class) in [
                (iterations, format!("×{iterations}"), "badge-iterations"),
                (retries, format!("↻{retries}"), "badge-retries"),
            ] {
                if count == 0 {
                    continue;
                }
                let w = text.chars().count() as f64 * 6.5 + 10.0;
                x -= w + 4.0;
                let y = r.y + r.height - 7.5;
                out.push(view! {
                    <g class=format!("overlay-badge {class}")>
                        <rect class="badge-box" x=x y=y width=w height="15" rx="7.5"></rect>
                        <text x=x + w / 2.0 y=y + 11.0 text-anchor="middle">{text}</text>
                    </g>
                });
            }
            out
        }
    }
}

impl Studio {
    /// Selects a byte range of the text in the code editor.
    pub fn reveal_range(&self, start: usize, end: usize) {
        let (from, to) =
            self.with(|d| (byte_to_utf16(d.text(), start), byte_to_utf16(d.text(), end)));
        self.editor.with_value(|e| {
            if let Some(e) = e {
                e.reveal(from, to);
            }
        });
    }
}

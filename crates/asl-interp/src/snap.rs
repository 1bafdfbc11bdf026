//! Payload snapshots in the history, and how they survive in-place changes.
//!
//! A history event keeps the payload it records as a shared value ([`Snap::Val`]): recording
//! costs a reference count, not a copy. When a later state wants to change that payload in
//! place (a `ResultPath` write, an `OutputPath` projection, a `{"x.$": "$"}` wrapper), the
//! interpreter takes the value over and the snapshots sharing it become [`Snap::Older`]: "the
//! newer value, with these changes undone". An undo record holds only what the change
//! replaced (the old member, the rest of a projected document), so the per-state cost is
//! proportional to the change, not to the payload. The older value is rebuilt only when the
//! history is read.

use std::sync::{Arc, Mutex};

use asl_path::Location;
use serde_json::Value;

/// A payload recorded in the history.
#[derive(Debug, Clone)]
pub(crate) enum Snap {
    /// The value itself, shared with the execution.
    Val(Arc<Value>),
    /// A value that was changed in place afterwards: rebuilt from the newer one on demand.
    Older(Arc<Older>),
    /// Element `i` of an array built from the recorded values (a Map's or Parallel's
    /// results, which took over its iterations' or branches' outputs without copying them).
    Elem(Arc<Older>, u32),
}

impl Snap {
    /// Whether this snapshot is `v` itself, shared.
    pub(crate) fn shares(&self, v: &Arc<Value>) -> bool {
        matches!(self, Snap::Val(a) if Arc::ptr_eq(a, v))
    }

    /// The recorded payload as compact JSON text.
    pub(crate) fn text(&self) -> String {
        match self {
            Snap::Val(v) => crate::exec::to_text(v),
            Snap::Older(o) => crate::exec::to_text(&o.materialize()),
            Snap::Elem(o, i) => crate::exec::to_text(elem(&o.shared_value(), *i)),
        }
    }

    /// Like [`Snap::text`], reusing the older values already rebuilt for other snapshots of
    /// the same history (`cache`), so reading a whole history costs one rebuild per
    /// snapshot however long the chains of changes are.
    pub(crate) fn text_cached(&self, cache: &mut Rebuilt) -> String {
        match self {
            Snap::Val(v) => crate::exec::to_text(v),
            Snap::Older(o) => crate::exec::to_text(&o.materialize_cached(cache)),
            Snap::Elem(o, i) => crate::exec::to_text(elem(&o.materialize_cached(cache), *i)),
        }
    }

    /// The recorded payload as a value (a copy).
    pub(crate) fn value(&self) -> Value {
        match self {
            Snap::Val(v) => (**v).clone(),
            Snap::Older(o) => o.materialize(),
            Snap::Elem(o, i) => elem(&o.shared_value(), *i).clone(),
        }
    }
}

/// Element `i` of `v` (null if there is none, which the interpreter never records).
fn elem(v: &Value, i: u32) -> &Value {
    const NULL: &Value = &Value::Null;
    v.get(i as usize).unwrap_or(NULL)
}

/// Older values already rebuilt, by snapshot (see [`Snap::text_cached`]).
#[derive(Default)]
pub(crate) struct Rebuilt {
    values: std::collections::HashMap<usize, Arc<Value>>,
}

impl Rebuilt {
    fn key(o: &Arc<Older>) -> usize {
        Arc::as_ptr(o) as usize
    }
}

/// How to get an older value back from the newer one.
#[derive(Debug)]
pub(crate) enum Undo {
    /// The newer value with `old` put back at `at` (with the member at `at` removed when
    /// `old` is `None`: it was created, as its object's last member).
    Put {
        at: Vec<Location>,
        old: Option<Value>,
    },
    /// `outer` with the newer value put at `at` (the newer value was projected out of it).
    Wrap { outer: Value, at: Vec<Location> },
    /// The member at `at` of the newer value (the newer value wraps the older one).
    Unwrap { at: Vec<Location> },
}

/// A value that the interpreter changed in place after the history recorded it.
#[derive(Debug, Default)]
pub(crate) struct Older {
    inner: Mutex<OlderInner>,
}

#[derive(Debug, Default)]
struct OlderInner {
    /// The value the undo records apply to (set once the change is complete).
    newer: Option<Snap>,
    /// The changes, in the order they were made.
    undo: Vec<Undo>,
    /// The value, once rebuilt for [`Older::shared_value`].
    memo: Option<Arc<Value>>,
}

impl Older {
    /// Whether this snapshot's newer value is exactly `v` (shared).
    pub(crate) fn is_based_on(&self, v: &Arc<Value>) -> bool {
        let Ok(g) = self.inner.lock() else {
            return false;
        };
        matches!(&g.newer, Some(Snap::Val(a)) if Arc::ptr_eq(a, v))
    }

    /// Points this snapshot at `newer` instead of the value it was based on.
    pub(crate) fn rebase(&self, newer: Snap) {
        if let Ok(mut g) = self.inner.lock() {
            g.newer = Some(newer);
        }
    }

    /// The value, shared: the newer value itself while no change was made to it, otherwise
    /// rebuilt once and kept. This is how the many [`Snap::Elem`] snapshots of one result
    /// array read it one at a time (a snapshot's value never changes, so keeping it is safe).
    pub(crate) fn shared_value(self: &Arc<Older>) -> Arc<Value> {
        if let Ok(g) = self.inner.lock() {
            if let Some(m) = &g.memo {
                return m.clone();
            }
            if let (true, Some(Snap::Val(v))) = (g.undo.is_empty(), &g.newer) {
                return v.clone();
            }
        }
        let v = Arc::new(self.materialize());
        if let Ok(mut g) = self.inner.lock() {
            g.memo = Some(v.clone());
        }
        v
    }

    /// Rebuilds the older value: walks to the newest value without recursion, copies it,
    /// then undoes the changes from the newest back to this one.
    pub(crate) fn materialize(self: &Arc<Older>) -> Value {
        self.rebuild(None)
    }

    /// [`Older::materialize`], stopping at the first newer snapshot already in `cache` and
    /// adding every value it rebuilds on the way.
    pub(crate) fn materialize_cached(self: &Arc<Older>, cache: &mut Rebuilt) -> Arc<Value> {
        if let Some(v) = cache.values.get(&Rebuilt::key(self)) {
            return v.clone();
        }
        let v = Arc::new(self.rebuild(Some(cache)));
        cache.values.insert(Rebuilt::key(self), v.clone());
        v
    }

    /// The walk of [`Older::materialize`]; with a cache, the walk stops at a newer snapshot
    /// rebuilt before, and the snapshots between it and this one are added to the cache.
    fn rebuild(self: &Arc<Older>, mut cache: Option<&mut Rebuilt>) -> Value {
        #[cfg(test)]
        tests::REBUILDS.with(|n| n.set(n.get() + 1));
        let mut chain: Vec<Arc<Older>> = vec![self.clone()];
        let mut base = loop {
            let next = chain
                .last()
                .and_then(|o| o.inner.lock().ok().and_then(|g| g.newer.clone()));
            match next {
                Some(Snap::Older(o)) => {
                    let known = cache
                        .as_deref()
                        .and_then(|c| c.values.get(&Rebuilt::key(&o)));
                    match known {
                        Some(v) => break (**v).clone(),
                        None => chain.push(o),
                    }
                }
                Some(Snap::Val(v)) => break (*v).clone(),
                Some(Snap::Elem(o, i)) => break elem(&o.shared_value(), i).clone(),
                None => break Value::Null,
            }
        };
        for (i, o) in chain.iter().enumerate().rev() {
            if let Ok(g) = o.inner.lock() {
                for u in g.undo.iter().rev() {
                    undo(&mut base, u);
                }
            }
            if i > 0
                && let Some(c) = cache.as_deref_mut()
            {
                c.values.insert(Rebuilt::key(o), Arc::new(base.clone()));
            }
        }
        base
    }
}

/// A change in progress of a value the history shares: collects the undo records, then
/// [`Rewrite::finish`] names the value they apply to.
#[derive(Debug)]
pub(crate) struct Rewrite {
    older: Arc<Older>,
    undo: Vec<Undo>,
}

impl Rewrite {
    pub(crate) fn new(older: Arc<Older>) -> Rewrite {
        Rewrite {
            older,
            undo: Vec::new(),
        }
    }

    /// Records one more change.
    pub(crate) fn push(&mut self, u: Undo) {
        self.undo.push(u);
    }

    /// Completes the snapshot: the recorded changes undo `base` back to the old value.
    /// Returns the snapshot, which stays based on `base` until that is changed in turn.
    pub(crate) fn finish(self, base: &Arc<Value>) -> Arc<Older> {
        self.finish_on(Snap::Val(base.clone()))
    }

    /// [`Rewrite::finish`] onto a value that is itself a snapshot (an intermediate value
    /// that other changes were undone to as well).
    pub(crate) fn finish_on(self, newer: Snap) -> Arc<Older> {
        if let Ok(mut g) = self.older.inner.lock() {
            g.newer = Some(newer);
            g.undo = self.undo;
        }
        self.older
    }
}

/// The member at `at`, if there is one.
pub(crate) fn member_mut<'a>(v: &'a mut Value, at: &[Location]) -> Option<&'a mut Value> {
    let mut cur = v;
    for l in at {
        cur = match (l, cur) {
            (Location::Key(k), Value::Object(m)) => m.get_mut(k.as_str())?,
            (Location::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The member at `at`, if there is one.
pub(crate) fn member<'a>(v: &'a Value, at: &[Location]) -> Option<&'a Value> {
    let mut cur = v;
    for l in at {
        cur = match (l, cur) {
            (Location::Key(k), Value::Object(m)) => m.get(k.as_str())?,
            (Location::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Applies one undo record to `v` (the newer value), turning it into the older one.
fn undo(v: &mut Value, u: &Undo) {
    match u {
        Undo::Put { at, old } => {
            let Some((last, init)) = at.split_last() else {
                if let Some(o) = old {
                    *v = o.clone();
                }
                return;
            };
            let Some(parent) = member_mut(v, init) else {
                return;
            };
            match (last, parent, old) {
                (Location::Key(k), Value::Object(m), Some(o)) => {
                    // The key exists in the newer value: its position is kept.
                    m.insert(k.clone(), o.clone());
                }
                (Location::Key(k), Value::Object(m), None) => {
                    m.shift_remove(k.as_str());
                }
                (Location::Index(i), Value::Array(a), Some(o)) => {
                    if let Some(x) = a.get_mut(*i) {
                        *x = o.clone();
                    }
                }
                _ => {}
            }
        }
        Undo::Wrap { outer, at } => {
            let mut o = outer.clone();
            if let Some(slot) = member_mut(&mut o, at) {
                *slot = std::mem::take(v);
            }
            *v = o;
        }
        Undo::Unwrap { at } => {
            let inner = member_mut(v, at).map(std::mem::take).unwrap_or(Value::Null);
            *v = inner;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    thread_local! {
        /// How many times this thread rebuilt an older value.
        pub(super) static REBUILDS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn elements_of_a_changed_result_are_read_one_at_a_time_from_one_rebuild() {
        // A result array of 1,000 outputs, then changed in place (one undo record).
        let result = Arc::new(Value::Array((0..1000).map(|i| json!({"i": i})).collect()));
        let mid = Rewrite::new(Arc::new(Older::default())).finish(&result);
        let elems: Vec<Snap> = (0..1000).map(|i| Snap::Elem(mid.clone(), i)).collect();
        // Unchanged since: read from the result itself, nothing rebuilt.
        REBUILDS.with(|n| n.set(0));
        assert_eq!(elems[7].text(), r#"{"i":7}"#);
        assert_eq!(REBUILDS.with(|n| n.get()), 0);
        let newer = Arc::new(json!({"wrapped": "elsewhere"}));
        let o2 = Arc::new(Older::default());
        mid.rebase(Snap::Older(o2.clone()));
        let mut rw = Rewrite::new(o2);
        rw.push(Undo::Put {
            at: vec![],
            old: Some((*result).clone()),
        });
        rw.finish(&newer);
        drop(result);
        // Each element read alone (as a host reads new events one by one): one rebuild in all.
        for (i, e) in elems.iter().enumerate() {
            assert_eq!(e.text(), format!(r#"{{"i":{i}}}"#));
        }
        assert_eq!(REBUILDS.with(|n| n.get()), 1);
    }

    fn key(k: &str) -> Location {
        Location::Key(k.to_string())
    }

    #[test]
    fn a_chain_of_changes_is_undone_back_to_each_version() {
        // v1 -> (ResultPath $.env.audit, OutputPath $.env) -> v2 -> {"env.$": "$"} -> v3
        let v1 = json!({"env": {"meta": 1, "audit": {"step": 0}, "rows": [1, 2]}, "z": true});
        let mut v2 = v1.clone();
        let old = v2["env"]
            .as_object_mut()
            .unwrap()
            .insert("audit".into(), json!({"step": 1}));
        let mut rest = v2.clone();
        let taken = std::mem::take(&mut rest["env"]);
        let v2v = Arc::new(taken);
        let o1 = Arc::new(Older::default());
        let mut rw = Rewrite::new(o1.clone());
        rw.push(Undo::Put {
            at: vec![key("env"), key("audit")],
            old,
        });
        rw.push(Undo::Wrap {
            outer: rest,
            at: vec![key("env")],
        });
        rw.finish(&v2v);
        let s1 = Snap::Older(o1.clone());
        assert_eq!(s1.value(), v1);

        // Now v2 itself is changed in place: wrapped, plus a new member.
        let o2 = Arc::new(Older::default());
        assert!(o1.is_based_on(&v2v));
        o1.rebase(Snap::Older(o2.clone()));
        let expected_v2 = (*v2v).clone();
        let owned = Arc::try_unwrap(v2v).unwrap();
        let mut v3 = json!({"env": owned, "k": "c"});
        v3.as_object_mut().unwrap().insert("new".into(), json!([1]));
        let v3 = Arc::new(v3);
        let mut rw = Rewrite::new(o2.clone());
        rw.push(Undo::Unwrap {
            at: vec![key("env")],
        });
        rw.push(Undo::Put {
            at: vec![key("new")],
            old: None,
        });
        rw.finish(&v3);
        assert_eq!(Snap::Older(o2).value(), expected_v2);
        assert_eq!(s1.value(), v1);
        assert_eq!(s1.text(), crate::exec::to_text(&v1));
    }

    #[test]
    fn put_back_keeps_key_order() {
        let newer = Arc::new(json!({"a": 1, "b": 2, "c": 3}));
        let o = Arc::new(Older::default());
        let mut rw = Rewrite::new(o.clone());
        rw.push(Undo::Put {
            at: vec![key("a")],
            old: Some(json!(0)),
        });
        rw.push(Undo::Put {
            at: vec![key("b")],
            old: None,
        });
        rw.finish(&newer);
        assert_eq!(Snap::Older(o).text(), r#"{"a":0,"c":3}"#);
    }
}

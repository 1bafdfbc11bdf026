//! Distributed Map extras: ItemReader (from the run options' S3 objects), ItemBatcher and ResultWriter.

use serde_json::{Map, Value, json};

use crate::exec::{Det, Execution, Failure};
use crate::payload;
use crate::program::State;

fn reader_failed(cause: impl Into<String>) -> Failure {
    Failure::new("States.ItemReaderFailed", cause)
}

/// Evaluates a field of a JSONPath or JSONata configuration object (`X` or `XPath`).
fn config_number(
    ex: &mut Execution,
    tid: usize,
    st: &State,
    cfg: &Map<String, Value>,
    key: &str,
    effective: &Value,
    ctx: &Value,
) -> Result<Option<i64>, Failure> {
    if let Some(v) = cfg.get(key) {
        let v = if st.jsonata {
            ex.eval_jsonata_field(tid, key, v, effective, None)?
        } else {
            v.clone()
        };
        return Ok(v.as_i64());
    }
    let pkey = format!("{key}Path");
    let Some(p) = cfg.get(&pkey).and_then(Value::as_str) else {
        return Ok(None);
    };
    let vars = ex.threads[tid].vars.clone();
    let getv = |n: &str| vars.get(n);
    let v = asl_path::Path::parse(p)
        .map_err(|e| Failure::new("States.Runtime", e.message))
        .and_then(|path| {
            path.eval(effective, ctx, &getv)
                .map_err(payload::eval_failure)
        })
        .map_err(|f| ex.prefixed(tid, f))?;
    match v
        .as_u64()
        .or_else(|| v.as_str().and_then(|t| t.parse::<u64>().ok()))
    {
        Some(n) => Ok(Some(n.min(i64::MAX as u64) as i64)),
        None => Err(ex.prefixed(
            tid,
            Failure::new(
                "States.Runtime",
                format!(
                    "The {pkey} field refers to value \"{}\" which is not a valid integer: {p}",
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| crate::exec::to_text(&v))
                ),
            ),
        )),
    }
}

/// Reads the items an ItemReader names. Records `MapStateStarted` and `MapRunStarted` on the way,
/// like AWS; reader failures record `MapRunFailed` and leave `MapStateFailed` pending.
pub(crate) fn read_items(
    ex: &mut Execution,
    tid: usize,
    st: &State,
    effective: &Value,
    ctx: &Value,
) -> Result<Value, Failure> {
    let reader = st
        .raw
        .get("ItemReader")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    ex.emit("MapStateStarted", Det::json(json!({"length": 0})), true);
    let cfg = reader
        .get("ReaderConfig")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let max_items = config_number(ex, tid, st, &cfg, "MaxItems", effective, ctx)?;
    ex.emit_map_run_started(tid, st);
    let params = if st.jsonata {
        match reader.get("Arguments") {
            Some(a) => ex.eval_jsonata_field(tid, "ItemReader/Arguments", a, effective, None)?,
            None => Value::Object(Map::new()),
        }
    } else {
        match reader.get("Parameters") {
            Some(p) => {
                let vars = ex.threads[tid].vars.clone();
                let getv = |n: &str| vars.get(n);
                payload::template_value(p, effective, ctx, &getv, &mut ex.rng)
                    .map_err(|f| ex.prefixed(tid, f))?
            }
            None => Value::Object(Map::new()),
        }
    };
    match read_object(ex, &reader, &cfg, &params, max_items) {
        Ok(v) => Ok(v),
        Err(f) => {
            ex.emit(
                "MapRunFailed",
                Det::json(json!({"cause": f.cause, "error": f.error})),
                true,
            );
            ex.threads[tid].pending_failed_event = Some("MapStateFailed");
            Err(f)
        }
    }
}

fn read_object(
    ex: &Execution,
    reader: &Map<String, Value>,
    cfg: &Map<String, Value>,
    params: &Value,
    max_items: Option<i64>,
) -> Result<Value, Failure> {
    let resource = reader.get("Resource").and_then(Value::as_str).unwrap_or("");
    let bucket = params.get("Bucket").and_then(Value::as_str).unwrap_or("");
    let key = params.get("Key").and_then(Value::as_str);
    if resource.ends_with("s3:listObjectsV2") {
        let prefix = params.get("Prefix").and_then(Value::as_str).unwrap_or("");
        let items: Vec<Value> = ex
            .opts
            .s3_objects
            .iter()
            .filter(|o| o.bucket == bucket && o.key.starts_with(prefix))
            .map(|o| json!({"Key": o.key, "Size": o.body.len(), "StorageClass": "STANDARD"}))
            .collect();
        return Ok(limit(Value::Array(items), max_items));
    }
    let Some(obj) = ex
        .opts
        .s3_objects
        .iter()
        .find(|o| o.bucket == bucket && Some(o.key.as_str()) == key)
    else {
        return Err(reader_failed(format!(
            "The specified key does not exist. (Bucket: {bucket}, Key: {})",
            key.unwrap_or("")
        )));
    };
    let input_type = cfg
        .get("InputType")
        .and_then(Value::as_str)
        .unwrap_or("JSON");
    let items = match input_type {
        "CSV" => read_csv(&obj.body, cfg)?,
        "JSONL" => {
            let mut out = Vec::new();
            for line in obj.body.lines().filter(|l| !l.trim().is_empty()) {
                out.push(
                    serde_json::from_str::<Value>(line)
                        .map_err(|e| reader_failed(e.to_string()))?,
                );
            }
            Value::Array(out)
        }
        _ => {
            let v: Value = serde_json::from_str(&obj.body)
                .map_err(|_| reader_failed("Attempting to map over non-iterable node."))?;
            if !v.is_array() {
                return Err(reader_failed("Attempting to map over non-iterable node."));
            }
            v
        }
    };
    Ok(limit(items, max_items))
}

fn limit(v: Value, max_items: Option<i64>) -> Value {
    match (v, max_items) {
        (Value::Array(mut a), Some(n)) if n > 0 => {
            a.truncate(n as usize);
            Value::Array(a)
        }
        (v, _) => v,
    }
}

/// Splits one CSV line (RFC 4180 quoting).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn read_csv(body: &str, cfg: &Map<String, Value>) -> Result<Value, Failure> {
    let mut lines = body.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let headers: Vec<String> = match cfg.get("CSVHeaderLocation").and_then(Value::as_str) {
        Some("GIVEN") => cfg
            .get("CSVHeaders")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        _ => lines.next().map(csv_fields).unwrap_or_default(),
    };
    let mut seen = std::collections::HashSet::new();
    if !headers.iter().all(|h| seen.insert(h.clone())) {
        return Err(reader_failed("CSV headers cannot contain duplicates."));
    }
    let mut rows = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let fields = csv_fields(line);
        let mut m = Map::new();
        for (i, h) in headers.iter().enumerate() {
            m.insert(
                h.clone(),
                Value::String(fields.get(i).cloned().unwrap_or_default()),
            );
        }
        rows.push(Value::Object(m));
    }
    Ok(Value::Array(rows))
}

/// Groups items into batches when the Map has an ItemBatcher.
pub(crate) fn batch_items(
    ex: &mut Execution,
    tid: usize,
    st: &State,
    inputs: Vec<Option<Value>>,
    effective: &Value,
    ctx: &Value,
) -> Result<Vec<Option<Value>>, Failure> {
    let Some(batcher) = st
        .raw
        .get("ItemBatcher")
        .and_then(Value::as_object)
        .cloned()
    else {
        return Ok(inputs);
    };
    let max_items = config_number(ex, tid, st, &batcher, "MaxItemsPerBatch", effective, ctx)?
        .filter(|n| *n > 0)
        .map(|n| n as usize);
    let max_bytes = config_number(
        ex,
        tid,
        st,
        &batcher,
        "MaxInputBytesPerBatch",
        effective,
        ctx,
    )?
    .filter(|n| *n > 0)
    .map(|n| n as usize);
    let batch_input = match batcher.get("BatchInput") {
        Some(b) if st.jsonata => {
            Some(ex.eval_jsonata_field(tid, "ItemBatcher/BatchInput", b, effective, None)?)
        }
        Some(b) => {
            let vars = ex.threads[tid].vars.clone();
            let getv = |n: &str| vars.get(n);
            let c = ex.context(tid, None);
            Some(
                payload::template_value(b, effective, &c, &getv, &mut ex.rng)
                    .map_err(|f| ex.prefixed(tid, f))?,
            )
        }
        None => None,
    };
    let mut batches = Vec::new();
    let mut cur: Vec<Value> = Vec::new();
    let mut cur_bytes = 0usize;
    for item in inputs.into_iter().flatten() {
        let size = payload::size_of(&item);
        let full = max_items.is_some_and(|m| cur.len() >= m)
            || max_bytes.is_some_and(|m| !cur.is_empty() && cur_bytes + size > m);
        if full {
            batches.push(std::mem::take(&mut cur));
            cur_bytes = 0;
        }
        cur_bytes += size;
        cur.push(item);
    }
    if !cur.is_empty() {
        batches.push(cur);
    }
    Ok(batches
        .into_iter()
        .map(|items| {
            let mut m = Map::new();
            if let Some(b) = &batch_input {
                m.insert("BatchInput".into(), b.clone());
            }
            m.insert("Items".into(), Value::Array(items));
            Some(Value::Object(m))
        })
        .collect())
}

/// Applies a ResultWriter to the Map's result: the results are "written" and the state
/// returns the description AWS gives of the written files.
pub(crate) fn write_results(ex: &mut Execution, _tid: usize, st: &State, result: Value) -> Value {
    let writer = st.raw.get("ResultWriter").cloned().unwrap_or(Value::Null);
    let params = writer
        .get("Parameters")
        .or_else(|| writer.get("Arguments"))
        .cloned()
        .unwrap_or(Value::Null);
    if params.is_null() {
        return result;
    }
    let arn = ex.last_map_run_arn.clone().unwrap_or_default();
    json!({
        "MapRunArn": arn,
        "ResultWriterDetails": {
            "Bucket": params.get("Bucket").cloned().unwrap_or(Value::Null),
            "Key": format!(
                "{}/{}/manifest.json",
                params.get("Prefix").and_then(Value::as_str).unwrap_or(""),
                arn.rsplit(':').next().unwrap_or("")
            ),
        }
    })
}

//! Distributed Map extras: ItemReader (from the run options' S3 objects), ItemBatcher and ResultWriter.

use serde_json::Value;

use crate::exec::{Execution, Failure};
use crate::program::State;

/// Reads the items an ItemReader names.
pub(crate) fn read_items(
    _ex: &mut Execution,
    _tid: usize,
    _st: &State,
    _effective: &Value,
    _ctx: &Value,
) -> Result<Value, Failure> {
    Err(Failure::new(
        "States.ItemReaderFailed",
        "ItemReader is not supported yet.",
    ))
}

/// Groups items into batches when the Map has an ItemBatcher.
pub(crate) fn batch_items(
    _ex: &mut Execution,
    _tid: usize,
    _st: &State,
    inputs: Vec<Option<Value>>,
    _effective: &Value,
    _ctx: &Value,
) -> Result<Vec<Option<Value>>, Failure> {
    Ok(inputs)
}

/// Applies a ResultWriter to the Map's result.
pub(crate) fn write_results(_ex: &mut Execution, _tid: usize, _st: &State, result: Value) -> Value {
    result
}

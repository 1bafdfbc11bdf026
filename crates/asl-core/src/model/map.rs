//! The Map state (inline and distributed), with its item reader, batcher and result writer.

use crate::model::build::Builder;
use crate::model::state::build_error_handling;
use crate::model::{Catcher, Machine, NumOrExpr, Resource, Retrier, Spanned, build_machine};
use crate::text::Span;
use crate::tree::{Node, push_key};

/// `ProcessorConfig` of an item processor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProcessorConfig {
    /// `Mode`: `INLINE` (default) or `DISTRIBUTED`.
    pub mode: Option<Spanned<String>>,
    /// `ExecutionType`: `STANDARD` or `EXPRESS` (distributed only).
    pub execution_type: Option<Spanned<String>>,
}

/// `ItemReader` of a distributed Map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemReader {
    /// Span of the reader object.
    pub span: Span,
    /// `Resource`, classified.
    pub resource: Option<Spanned<Resource>>,
    /// `ReaderConfig` (InputType, CSVHeaderLocation, CSVHeaders, CSVDelimiter, MaxItems(Path)).
    pub reader_config: Option<Node>,
    /// `Parameters` (JSONPath).
    pub parameters: Option<Node>,
    /// `Arguments` (JSONata).
    pub arguments: Option<Node>,
}

/// `ResultWriter` of a distributed Map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResultWriter {
    /// Span of the writer object.
    pub span: Span,
    /// `Resource`, classified.
    pub resource: Option<Spanned<Resource>>,
    /// `Parameters` (JSONPath).
    pub parameters: Option<Node>,
    /// `Arguments` (JSONata).
    pub arguments: Option<Node>,
    /// `WriterConfig` (OutputType, Transformation).
    pub writer_config: Option<Node>,
}

/// Map-specific fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map {
    /// `ItemProcessor` or the legacy `Iterator`, whichever is present (ItemProcessor first).
    pub item_processor: Option<Machine>,
    /// True when the processor came from the legacy `Iterator` field.
    pub uses_iterator: bool,
    /// `ItemsPath` (JSONPath).
    pub items_path: Option<Spanned<Option<String>>>,
    /// `Items` (JSONata: array or expression).
    pub items: Option<Node>,
    /// `ItemSelector`.
    pub item_selector: Option<Node>,
    /// `MaxConcurrency` (0 = no limit).
    pub max_concurrency: Option<Spanned<NumOrExpr>>,
    /// `MaxConcurrencyPath`.
    pub max_concurrency_path: Option<Spanned<String>>,
    /// `ItemReader`.
    pub item_reader: Option<ItemReader>,
    /// `ItemBatcher` (MaxItemsPerBatch(Path), MaxInputBytesPerBatch(Path), BatchInput).
    pub item_batcher: Option<Node>,
    /// `ResultWriter`.
    pub result_writer: Option<ResultWriter>,
    /// `ToleratedFailurePercentage` (0–100).
    pub tolerated_failure_percentage: Option<Spanned<NumOrExpr>>,
    /// `ToleratedFailurePercentagePath`.
    pub tolerated_failure_percentage_path: Option<Spanned<String>>,
    /// `ToleratedFailureCount`.
    pub tolerated_failure_count: Option<Spanned<NumOrExpr>>,
    /// `ToleratedFailureCountPath`.
    pub tolerated_failure_count_path: Option<Spanned<String>>,
    /// `Label`.
    pub label: Option<Spanned<String>>,
    /// `Retry`.
    pub retry: Vec<Retrier>,
    /// `Catch`.
    pub catch: Vec<Catcher>,
}

impl Map {
    /// Tells whether the Map runs in distributed mode.
    pub fn is_distributed(&self) -> bool {
        self.item_processor
            .as_ref()
            .and_then(|p| p.processor_config.as_ref())
            .and_then(|c| c.mode.as_ref())
            .is_some_and(|m| m.value == "DISTRIBUTED")
    }
}

fn resource(b: &mut Builder, node: &Node, ptr: &str) -> Option<Spanned<Resource>> {
    b.req_string(node, ptr, "Resource")
        .map(|s| Spanned::new(Resource::parse(&s.value), s.span))
}

pub(crate) fn build(b: &mut Builder, node: &Node, ptr: &str) -> Map {
    let (retry, catch) = build_error_handling(b, node, ptr);
    let (proc_key, uses_iterator) = if node.get("ItemProcessor").is_some() {
        ("ItemProcessor", false)
    } else {
        ("Iterator", node.get("Iterator").is_some())
    };
    let item_processor = match node.get(proc_key) {
        Some(p) => {
            let pp = push_key(ptr, proc_key);
            let mut m = build_machine(b, p, &pp, false);
            if let Some(cfg) = b.object(p, &pp, "ProcessorConfig", false) {
                let cp = push_key(&pp, "ProcessorConfig");
                m.processor_config = Some(ProcessorConfig {
                    mode: b.enumerated(&cfg, &cp, "Mode", &["INLINE", "DISTRIBUTED"]),
                    execution_type: b.enumerated(
                        &cfg,
                        &cp,
                        "ExecutionType",
                        &["STANDARD", "EXPRESS"],
                    ),
                });
            }
            Some(m)
        }
        None => {
            b.missing(node, ptr, "ItemProcessor");
            None
        }
    };
    let item_reader = b.object(node, ptr, "ItemReader", false).map(|r| {
        let rp = push_key(ptr, "ItemReader");
        ItemReader {
            span: r.span,
            resource: resource(b, &r, &rp),
            reader_config: b.object(&r, &rp, "ReaderConfig", false),
            parameters: b.object(&r, &rp, "Parameters", false),
            arguments: b.object(&r, &rp, "Arguments", true),
        }
    });
    let result_writer = b.object(node, ptr, "ResultWriter", false).map(|w| {
        let wp = push_key(ptr, "ResultWriter");
        ResultWriter {
            span: w.span,
            resource: if w.get("Resource").is_some() {
                resource(b, &w, &wp)
            } else {
                None
            },
            parameters: b.object(&w, &wp, "Parameters", false),
            arguments: b.object(&w, &wp, "Arguments", true),
            writer_config: b.object(&w, &wp, "WriterConfig", false),
        }
    });
    Map {
        item_processor,
        uses_iterator,
        items_path: b.path(node, ptr, "ItemsPath"),
        items: node.get("Items").cloned(),
        item_selector: b.object(node, ptr, "ItemSelector", true),
        max_concurrency: b.number(node, ptr, "MaxConcurrency"),
        max_concurrency_path: b.string(node, ptr, "MaxConcurrencyPath"),
        item_reader,
        item_batcher: b.object(node, ptr, "ItemBatcher", true),
        result_writer,
        tolerated_failure_percentage: b.number(node, ptr, "ToleratedFailurePercentage"),
        tolerated_failure_percentage_path: b.string(node, ptr, "ToleratedFailurePercentagePath"),
        tolerated_failure_count: b.number(node, ptr, "ToleratedFailureCount"),
        tolerated_failure_count_path: b.string(node, ptr, "ToleratedFailureCountPath"),
        label: b.string(node, ptr, "Label"),
        retry,
        catch,
    }
}

//! asl-interp: a pure, resumable interpreter for Amazon States Language state machines.
//!
//! Compile a definition with [`compile`], then either run it to completion with [`run`]
//! (tasks answered synchronously by a [`TaskHandler`]) or drive it step by step with
//! [`Execution`], which reports what it needs from the host as [`Effect`]s. Time is a
//! virtual clock and randomness is seeded, so runs are reproducible and wasm32-safe.

mod choice;
mod distributed;
mod exec;
mod host;
pub mod mock;
mod payload;
mod program;
mod ql;
pub mod request;
mod rng;
mod snap;
mod states;
pub mod time;

pub use exec::{Execution, drive, run};
pub use host::{
    ContextOptions, Effect, ExecutionResult, HistoryEvent, Integration, MachineType, RunOptions,
    S3Object, Status, TaskAnswer, TaskHandler, TaskRequest, details_key,
};
pub use program::{CompileError, Program, compile};

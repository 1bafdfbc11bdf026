//! Mock task handlers built from corpus `mocks` (placeholder; owned and written by the conformance engineer).

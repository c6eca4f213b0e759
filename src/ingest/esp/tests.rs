//! Reader-level tests of the dispatch: detection on the head, reading through a sink.

//! Synthetic data generator for tests and benchmarks. Not written yet: issue "Performance".

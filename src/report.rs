//! Metrics per campaign / day / week / domain / reason. Not written yet: issue "Analytics and charts".

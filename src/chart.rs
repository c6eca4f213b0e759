//! plotters → SVG (window) and PNG (export). Not written yet: issue "Analytics and charts".

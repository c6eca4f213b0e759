// Not written yet: see issue "Foundation" (app shell).
fn main() {}

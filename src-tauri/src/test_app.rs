//! The app on tauri's mock runtime for command tests: real library, real SQLite file,
//! no window. Every `*_tests.rs` builds on this; area-specific helpers go in an
//! `impl TestApp` block in that area's test file.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindow};

pub(crate) struct TestApp {
    pub app: tauri::App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    /// Every `import-finished` payload, in order. One listener for the app's whole life:
    /// tauri's listener table is try-locked, and a `listen`/`unlisten` that meets an emit
    /// in progress is queued until the next emit that has a handler, so a listener added
    /// per import could miss its own import's end (seen once in CI as a 60 s timeout).
    finished: mpsc::Receiver<String>,
}

/// An app over a new database file (created on first use) in a fresh temporary folder.
pub(crate) fn app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("data").join("rebound.sqlite");
    app_at(dir, db)
}

/// An app over `db` (inside `dir`), which the caller may have filled through the library.
pub(crate) fn app_at(dir: tempfile::TempDir, db: PathBuf) -> TestApp {
    let app = crate::setup(mock_builder(), db.clone()).build(mock_context(noop_assets())).expect("mock app");
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
    let (tx, finished) = mpsc::channel();
    app.listen(crate::import_job::FINISHED_EVENT, move |e| {
        let _ = tx.send(e.payload().to_string());
    });
    TestApp { app, window, dir, db, finished }
}

impl TestApp {
    /// Calls a command exactly as the window does; Err is the `{code, message}` it sent back.
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let req = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, req).map(|b| b.deserialize::<Value>().expect("json body"))
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    pub fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should fail, returned {v}"),
            Err(e) => e,
        }
    }

    /// Runs `cmd` (an import command) and waits for its `import-finished` event's payload.
    pub fn import_with(&self, cmd: &str, args: Value) -> Value {
        self.ok(cmd, args);
        let payload = self.finished.recv_timeout(Duration::from_secs(60)).expect("import-finished within 60 s");
        serde_json::from_str(&payload).expect("payload json")
    }

    /// The next `import-finished` payload if one has arrived, without waiting.
    pub fn try_finished(&self) -> Option<String> {
        self.finished.try_recv().ok()
    }

    /// `import_files` over `paths`, waiting for the end.
    pub fn import(&self, paths: &[&Path]) -> Value {
        let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        self.import_with("import_files", json!({ "paths": paths }))
    }

    /// Writes a file in the test's folder and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p
    }
}

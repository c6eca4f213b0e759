//! Rebound's desktop app: a thin Tauri layer over the `rebound` library.
//! Commands live in commands/ (mod.rs: reads, settings; one file per area) and import_job.rs (long work
//! in a thread, progress as events). No business logic here.

pub mod commands;
pub mod error;
pub mod import_job;
pub mod state;

use state::AppState;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::Manager;
use std::time::Duration;
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What the window-state plugin remembers of the window between launches.
const WINDOW_STATE: StateFlags = StateFlags::SIZE.union(StateFlags::POSITION).union(StateFlags::MAXIMIZED);

/// The plugin writes its file only when the app exits normally. A session that ends
/// otherwise (logout, a crash, the e2e driver) would lose the size the user chose, so
/// the file is also written half a second after the last resize or move.
fn save_window_state_soon<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    static PENDING: AtomicBool = AtomicBool::new(false);
    if PENDING.swap(true, Ordering::SeqCst) {
        return;
    }
    let app = app.clone();
    let spawned = std::thread::Builder::new().name("window-state".into()).spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        PENDING.store(false, Ordering::SeqCst);
        let _ = app.save_window_state(WINDOW_STATE);
    });
    if spawned.is_err() {
        PENDING.store(false, Ordering::SeqCst);
    }
}

/// Adds the plugins, the state and the commands to a builder: the real one in
/// `run`, tauri's mock builder in the tests.
pub fn setup<R: tauri::Runtime>(builder: tauri::Builder<R>, db_path: std::path::PathBuf) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        // Size, position and maximized state come back on the next launch (saved in the
        // app config dir; nothing the window can call, so no permission).
        .plugin(tauri_plugin_window_state::Builder::new().with_state_flags(WINDOW_STATE).build())
        .on_window_event(|window, event| {
            if matches!(event, tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)) {
                save_window_state_soon(window.app_handle());
            }
        })
        .manage(AppState::new(db_path))
        // Every command the window may call. Add new ones here (see commands/mod.rs).
        .invoke_handler(tauri::generate_handler![
            commands::overview,
            commands::list_imports,
            commands::import_problems,
            commands::remove_import,
            commands::settings::get_settings,
            commands::settings::set_setting,
            commands::settings::data_location,
            commands::settings::backup_database,
            commands::settings::restore_database,
            commands::settings::delete_all_data,
            commands::settings::preferences,
            commands::settings::set_time_zone,
            commands::settings::set_thresholds,
            commands::settings::set_policy_value,
            commands::settings::remember_screen,
            commands::demo::app_status,
            commands::demo::open_demo,
            commands::demo::close_demo,
            commands::report::report_summary,
            commands::report::chart_svg,
            commands::report::campaign_sparklines,
            commands::report::campaign_recipients,
            commands::report::set_campaign_sent,
            commands::explore::explore_count,
            commands::explore::explore_page,
            commands::explore::explore_facets,
            commands::explore::explore_detail,
            import_job::import_files,
            import_job::cancel_import,
            commands::clean::clean_detect,
            commands::clean::clean_policy,
            commands::clean::clean_set_policy,
            commands::clean::clean_preview,
            commands::clean::clean_save,
            commands::clean::clean_default_paths,
            commands::clean::clean_cancel,
            commands::mapping::mapping_proposal,
            import_job::import_mapped,
        ])
}

pub fn run() {
    // The same file the `rebound` CLI uses by default ($REBOUND_DB overrides both).
    let db_path = rebound::store::default_db_path();
    let result = setup(tauri::Builder::default(), db_path).run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Rebound could not start its window: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod test_app;
#[cfg(test)]
mod tests;

//! Rebound's desktop app: a thin Tauri layer over the `rebound` library.
//! Commands live in commands/ (mod.rs: reads, settings; one file per area) and import_job.rs (long work
//! in a thread, progress as events). No business logic here.

pub mod commands;
pub mod error;
pub mod import_job;
pub mod state;

use state::AppState;

/// Adds the plugins, the state and the commands to a builder: the real one in
/// `run`, tauri's mock builder in the tests.
pub fn setup<R: tauri::Runtime>(builder: tauri::Builder<R>, db_path: std::path::PathBuf) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new(db_path))
        // Every command the window may call. Add new ones here (see commands/mod.rs).
        .invoke_handler(tauri::generate_handler![
            commands::overview,
            commands::list_imports,
            commands::import_problems,
            commands::remove_import,
            commands::get_settings,
            commands::set_setting,
            commands::data_location,
            commands::backup_database,
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
mod tests;

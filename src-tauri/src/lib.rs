//! Rebound's desktop app: a thin Tauri layer over the `rebound` library.
//! Commands live in commands/ (mod.rs: reads, settings; one file per area) and import_job.rs (long work
//! in a thread, progress as events). No business logic here.

pub mod commands;
pub mod error;
pub mod import_job;
pub mod state;

use state::AppState;
use tauri_plugin_window_state::StateFlags;

/// Adds the plugins, the state and the commands to a builder: the real one in
/// `run`, tauri's mock builder in the tests.
pub fn setup<R: tauri::Runtime>(builder: tauri::Builder<R>, db_path: std::path::PathBuf) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        // Size, position and maximized state come back on the next launch (saved in the
        // app config dir on exit; nothing the window can call, so no permission).
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED)
                .build(),
        )
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

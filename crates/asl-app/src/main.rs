//! ASL Studio web app (Leptos CSR): installs the panic hook and mounts the studio.

mod contexts;
mod platform;
mod text;
mod ui;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(ui::app::App);
}

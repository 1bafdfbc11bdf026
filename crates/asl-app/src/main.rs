//! ASL Studio web app (Leptos CSR): installs the panic hook and mounts the studio.

mod app;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

//! Files: download a text or an image, read a file the user picked, copy to the clipboard.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Offers `text` as a download named `name`.
pub fn download_text(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
        download_blob(name, &blob);
    }
}

fn download_blob(name: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(a) = document.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Draws an SVG document on a canvas at twice its size and offers it as a PNG download.
pub fn download_svg_as_png(name: &str, svg: &str, width: f64, height: f64) {
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let Ok(image) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let name = name.to_owned();
    let img = image.clone();
    let url_for_load = url.clone();
    let onload = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url_for_load);
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(canvas) = document.create_element("canvas") else {
            return;
        };
        let canvas: web_sys::HtmlCanvasElement = canvas.unchecked_into();
        canvas.set_width((width * 2.0).ceil() as u32);
        canvas.set_height((height * 2.0).ceil() as u32);
        if let Ok(Some(ctx)) = canvas.get_context("2d") {
            let ctx: web_sys::CanvasRenderingContext2d = ctx.unchecked_into();
            let _ = ctx.scale(2.0, 2.0);
            let _ = ctx.draw_image_with_html_image_element(&img, 0.0, 0.0);
        }
        let name = name.clone();
        let done = Closure::once_into_js(move |blob: JsValue| {
            if let Ok(blob) = blob.dyn_into::<web_sys::Blob>() {
                download_blob(&name, &blob);
            }
        });
        let _ = canvas.to_blob(done.unchecked_ref());
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&url);
}

/// Reads the first file of a file input as text and calls `done(name, text)`.
pub fn read_picked_file(
    input: &web_sys::HtmlInputElement,
    done: impl FnOnce(String, String) + 'static,
) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    let name = file.name();
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(promise).await {
            done(name, text.as_string().unwrap_or_default());
        }
    });
    input.set_value("");
}

/// Copies text to the clipboard (best effort).
pub fn copy_text(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Copies text to the clipboard and tells `done` whether the browser allowed it.
pub fn copy_text_then(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(window) = web_sys::window() else {
        done(false);
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

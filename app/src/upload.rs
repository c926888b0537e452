//! Browser side of uploads: posts a chosen image to `/admin/images` and returns its stable
//! URL (the form then submits that URL like any other field).

use leptos::wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Uploads `file`; the error is a sentence for the person.
pub async fn image(file: web_sys::File) -> Result<String, String> {
    use crate::language::t;
    let fail = |_| t("upload-unreached");
    let form = web_sys::FormData::new().map_err(fail)?;
    form.append_with_blob_and_filename("file", &file, &file.name())
        .map_err(fail)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&form);
    let request = web_sys::Request::new_with_str_and_init("/admin/images", &init).map_err(fail)?;
    request
        .headers()
        .set("Accept", "application/json")
        .map_err(fail)?;
    let window = web_sys::window().ok_or_else(|| t("upload-unreached"))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| t("upload-unexpected"))?;
    let text = JsFuture::from(response.text().map_err(fail)?)
        .await
        .map_err(fail)?
        .as_string()
        .unwrap_or_default();
    let body: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    if response.ok() {
        body.get("url")
            .and_then(|u| u.as_str())
            .map(str::to_owned)
            .ok_or_else(|| t("upload-unexpected"))
    } else {
        Err(body
            .get("detail")
            .and_then(|d| d.as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| t("upload-refused")))
    }
}

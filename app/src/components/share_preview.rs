//! The `<head>` tags of a public page that people share: title, description, Open Graph and
//! Twitter card tags (so a shared link unfurls with the picture) and the JSON-LD alternate.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// Head tags for a shared page at `page_url` (absolute); `image` should be a PNG or JPEG,
/// since social sites do not show SVG.
#[component]
pub fn SharePreview(
    title: String,
    description: String,
    page_url: String,
    image: Option<String>,
    /// Open Graph type: `article` for a credential, `website` for profiles.
    #[prop(default = "website")]
    og_type: &'static str,
) -> impl IntoView {
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:type" content=og_type />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta property="og:url" content=page_url.clone() />
        {image.clone().map(|image| view! { <Meta property="og:image" content=image /> })}
        <Meta name="twitter:card" content="summary" />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=description />
        {image.map(|image| view! { <Meta name="twitter:image" content=image /> })}
        <Link rel="alternate" type_="application/ld+json" href=page_url />
    }
    .into_any()
}

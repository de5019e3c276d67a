// Generates the client for two operations of the project's spec at build time,
// using the apigen-runtime crate (declared in Cargo.toml) instead of a vendored copy.
fn main() -> Result<(), apigen::Error> {
    apigen::Builder::new()
        .spec("../../spec/openapi.yaml")
        .only(["user.edit", "zero_trust.access.users.update"])
        .runtime(apigen::Runtime::Path("../../runtime".into()))
        .generate_to_out_dir("cloudflare.rs")?;
    Ok(())
}

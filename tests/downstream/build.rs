// Generates the client for one operation of the project's spec at build time.
fn main() -> Result<(), apigen::Error> {
    apigen::Builder::new()
        .spec("../../spec/openapi.yaml")
        .only(["user.edit"])
        .generate_to_out_dir("cloudflare.rs")?;
    Ok(())
}

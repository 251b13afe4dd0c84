//! Compiles KEDA's external scaler protocol (`proto/externalscaler.proto`)
//! into Rust with protox and tonic-prost-build: no `protoc` needed.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto = "../proto/externalscaler.proto";
    println!("cargo:rerun-if-changed={proto}");
    let files = protox::compile([proto], ["../proto"])?;
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_fds(files)?;
    Ok(())
}

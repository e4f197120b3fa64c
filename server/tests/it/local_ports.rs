//! The private PostgreSQL clusters' ports (`scripts/pg.sh`) lie outside the kernel's ephemeral
//! range. The kernel hands ports from that range to outgoing connections and to the checks that
//! ask it for a free port, so a cluster's port from there could be taken by the time it starts:
//! `make test`'s checks run side by side, each with its own clusters.

use std::path::Path;
use std::process::Command;

fn ephemeral_range() -> (u16, u16) {
    let text = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .expect("the kernel's ephemeral port range");
    let mut bounds = text.split_whitespace().map(|n| n.parse::<u16>().unwrap());
    (bounds.next().unwrap(), bounds.next().unwrap())
}

fn derived_port(root: &Path, data_dir: &Path) -> u16 {
    let output = Command::new("bash")
        .arg(root.join("scripts/pg.sh"))
        .arg("url")
        .env("PG_DATA_DIR", data_dir)
        .env_remove("PG_PORT")
        .output()
        .expect("scripts/pg.sh runs");
    assert!(output.status.success(), "{output:?}");
    let url = String::from_utf8(output.stdout).unwrap();
    url.split(&['=', ':', '/'][..])
        .filter_map(|part| part.trim().parse::<u16>().ok())
        .next_back()
        .unwrap_or_else(|| panic!("no port in {url}"))
}

#[test]
fn private_clusters_listen_below_the_ephemeral_range() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let (low, high) = ephemeral_range();
    // Clusters nobody runs (a running one keeps the port it started on), named like the checks'.
    let clusters = ["postgres-run", "postgres-test", "pitr/primary", "pitr/recovered"];
    let dirs = (0..12).flat_map(|clone| {
        clusters.map(|cluster| Path::new("/nonexistent").join(format!("shop-{clone}/.data/{cluster}")))
    });
    for dir in dirs {
        let port = derived_port(root, &dir);
        assert!(
            (1024..low).contains(&port),
            "{} listens on {port}, inside the ephemeral range {low}-{high}",
            dir.display()
        );
    }
}

//! Real servers for the agent's tests and bench: Debian's RabbitMQ (with the
//! management plugin) and Prometheus, installed with `apt-get` when missing
//! (as root; otherwise the exact line to run is printed), each started on
//! loopback ports with its own data folder under the target folder, and
//! stopped afterwards (also when a test fails or panics: see [`Services`]'s
//! `Drop`).

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::ctx::{Ctx, output, run};

/// Where Debian's packages put the programs.
const RABBITMQ_SERVER: &str = "/usr/lib/rabbitmq/bin/rabbitmq-server";
const RABBITMQCTL: &str = "/usr/lib/rabbitmq/bin/rabbitmqctl";
const PROMETHEUS: &str = "/usr/bin/prometheus";
const WRK: &str = "/usr/bin/wrk";
/// The install line, printed for non-root users.
const APT_LINE: &str = "sudo apt-get update && sudo apt-get install -y rabbitmq-server prometheus";

/// Installs Debian's `rabbitmq-server` and `prometheus` (and `wrk` when
/// `bench`) unless present.
pub fn packages(ctx: &Ctx, bench: bool) -> Result<(), String> {
    let mut missing = Vec::new();
    if !Path::new(RABBITMQ_SERVER).is_file() {
        missing.push("rabbitmq-server");
    }
    if !Path::new(PROMETHEUS).is_file() {
        missing.push("prometheus");
    }
    if bench && !Path::new(WRK).is_file() {
        missing.push("wrk");
    }
    if missing.is_empty() {
        println!("xtask: setup: Debian's rabbitmq-server and prometheus present");
        return Ok(());
    }
    let root = output(ctx.cmd("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    if !root {
        return Err(format!(
            "the agent's tests need Debian's {}; run:\n    {APT_LINE}{}",
            missing.join(" and "),
            if bench { " wrk" } else { "" }
        ));
    }
    run(ctx
        .cmd("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["update", "-q"]))?;
    // Debian starts a package's service on install where an init system
    // runs; ours are started on our own ports, so keep that off.
    let mut install = ctx.cmd("apt-get");
    install
        .env("DEBIAN_FRONTEND", "noninteractive")
        .env("RUNLEVEL", "1")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing);
    run(&mut install)
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("finding a port: {e}"))
}

/// A minimal HTTP/1.1 GET on loopback: the status code, if any answer came.
fn http_status(port: u16, path: &str, basic: Option<&str>) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let auth = basic
        .map(|b| format!("Authorization: Basic {b}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 16];
    let n = s.read(&mut head).ok()?;
    std::str::from_utf8(&head[..n])
        .ok()?
        .split(' ')
        .nth(1)?
        .parse()
        .ok()
}

/// `guest:guest`, base64.
const GUEST: &str = "Z3Vlc3Q6Z3Vlc3Q=";

/// A RabbitMQ node on loopback, with the management plugin.
pub struct RabbitMq {
    dir: PathBuf,
    node: String,
    /// AMQP port.
    pub amqp_port: u16,
    /// Management API port.
    pub http_port: u16,
    epmd_port: u16,
    env: Vec<(String, String)>,
    child: Option<Child>,
}

impl RabbitMq {
    /// Starts a node in `dir` (emptied first); [`RabbitMq::wait`] waits for it.
    pub fn start(dir: &Path) -> Result<RabbitMq, String> {
        fresh(dir)?;
        let (amqp_port, http_port) = (free_port()?, free_port()?);
        let (dist_port, epmd_port) = (free_port()?, free_port()?);
        let node = format!("replicast-test-{}@localhost", std::process::id());
        let conf = dir.join("rabbitmq.conf");
        write(
            &conf,
            &format!(
                "listeners.tcp.1 = 127.0.0.1:{amqp_port}\n\
                 management.tcp.ip = 127.0.0.1\n\
                 management.tcp.port = {http_port}\n\
                 collect_statistics_interval = 500\n\
                 loopback_users.guest = true\n\
                 log.console = false\n\
                 log.file.level = warning\n"
            ),
        )?;
        write(&dir.join("enabled_plugins"), "[rabbitmq_management].\n")?;
        write(&dir.join("rabbitmq-env.conf"), "")?;
        for sub in ["mnesia", "log", "home", "plugins"] {
            std::fs::create_dir_all(dir.join(sub))
                .map_err(|e| format!("creating {}: {e}", dir.join(sub).display()))?;
        }
        let d = |sub: &str| dir.join(sub).display().to_string();
        // Erlang distribution and its port mapper on loopback, on our own ports.
        let loopback_dist = "-kernel inet_dist_use_interface {127,0,0,1}";
        let env: Vec<(String, String)> = [
            ("HOME", d("home")),
            ("RABBITMQ_CONFIG_FILE", conf.display().to_string()),
            ("RABBITMQ_CONF_ENV_FILE", d("rabbitmq-env.conf")),
            ("RABBITMQ_ENABLED_PLUGINS_FILE", d("enabled_plugins")),
            ("RABBITMQ_MNESIA_BASE", d("mnesia")),
            ("RABBITMQ_LOG_BASE", d("log")),
            ("RABBITMQ_PLUGINS_EXPAND_DIR", d("plugins")),
            ("RABBITMQ_PID_FILE", d("rabbitmq.pid")),
            ("RABBITMQ_NODENAME", node.clone()),
            ("RABBITMQ_DIST_PORT", dist_port.to_string()),
            (
                "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
                loopback_dist.to_string(),
            ),
            ("RABBITMQ_CTL_ERL_ARGS", loopback_dist.to_string()),
            ("ERL_EPMD_PORT", epmd_port.to_string()),
            ("ERL_EPMD_ADDRESS", "127.0.0.1".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        // `rabbitmqctl` for the tests (stop_app/start_app: a broker going away).
        let ctl = dir.join("rabbitmqctl");
        let mut script = String::from("#!/bin/sh\n");
        for (k, v) in &env {
            script.push_str(&format!("export {k}='{v}'\n"));
        }
        script.push_str(&format!("exec {RABBITMQCTL} -n '{node}' \"$@\"\n"));
        write(&ctl, &script)?;
        run(Command::new("chmod").arg("+x").arg(&ctl))?;
        let log = std::fs::File::create(dir.join("server.out"))
            .map_err(|e| format!("creating the server log: {e}"))?;
        let err = log.try_clone().map_err(|e| e.to_string())?;
        let mut cmd = Command::new(RABBITMQ_SERVER);
        cmd.envs(env.iter().map(|(k, v)| (k, v)))
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt as _;
            cmd.process_group(0);
        }
        println!(
            "xtask: $ {RABBITMQ_SERVER}  (node {node}, amqp 127.0.0.1:{amqp_port}, management 127.0.0.1:{http_port}, data {})",
            dir.display()
        );
        let child = cmd
            .spawn()
            .map_err(|e| format!("starting {RABBITMQ_SERVER}: {e}"))?;
        Ok(RabbitMq {
            dir: dir.to_path_buf(),
            node,
            amqp_port,
            http_port,
            epmd_port,
            env,
            child: Some(child),
        })
    }

    /// Waits until the management API answers (the AMQP listener is up by then).
    pub fn wait(&mut self, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!(
                        "rabbitmq-server exited ({status}); its log: {}",
                        self.dir.join("server.out").display()
                    ));
                }
            }
            if http_status(self.http_port, "/api/overview", Some(GUEST)) == Some(200)
                && TcpStream::connect(("127.0.0.1", self.amqp_port)).is_ok()
            {
                println!(
                    "xtask: RabbitMQ ready after {:.1}s",
                    start.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!(
            "RabbitMQ did not answer within {}s; its logs: {}",
            limit.as_secs(),
            self.dir.display()
        ))
    }

    /// `amqp://guest:guest@127.0.0.1:PORT/%2f`.
    pub fn amqp_url(&self) -> String {
        format!("amqp://guest:guest@127.0.0.1:{}/%2f", self.amqp_port)
    }

    /// `http://guest:guest@127.0.0.1:PORT`.
    pub fn http_url(&self) -> String {
        format!("http://guest:guest@127.0.0.1:{}", self.http_port)
    }

    /// The `rabbitmqctl` wrapper for this node.
    pub fn ctl(&self) -> PathBuf {
        self.dir.join("rabbitmqctl")
    }

    /// Stops the node (`rabbitmqctl stop`, then its process group if need
    /// be) and its port mapper.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let mut ctl = Command::new(RABBITMQCTL);
        ctl.envs(self.env.iter().map(|(k, v)| (k, v)))
            .args(["-n", &self.node, "stop"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let stopped = ctl
            .spawn()
            .ok()
            .and_then(|mut c| wait_for(&mut c, Duration::from_secs(30)));
        if wait_for(
            &mut child,
            Duration::from_secs(if stopped.is_some() { 15 } else { 1 }),
        )
        .is_none()
        {
            kill_group(child.id());
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = Command::new("epmd")
            .args(["-port", &self.epmd_port.to_string(), "-kill"])
            .env("ERL_EPMD_PORT", self.epmd_port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        println!("xtask: RabbitMQ stopped");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for RabbitMq {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A Prometheus server on loopback scraping the agent at `agent_port`
/// under the job `ml-inference` every second.
pub struct Prometheus {
    dir: PathBuf,
    /// Its HTTP port.
    pub port: u16,
    child: Option<Child>,
}

impl Prometheus {
    /// Starts it in `dir` (emptied first); [`Prometheus::wait`] waits for it.
    pub fn start(dir: &Path, agent_port: u16) -> Result<Prometheus, String> {
        fresh(dir)?;
        let port = free_port()?;
        let config = dir.join("prometheus.yml");
        write(
            &config,
            &format!(
                "global: {{scrape_interval: 1s, evaluation_interval: 1s}}\n\
                 scrape_configs:\n\
                 \x20 - job_name: ml-inference\n\
                 \x20   scrape_interval: 1s\n\
                 \x20   scrape_timeout: 1s\n\
                 \x20   static_configs: [{{targets: ['127.0.0.1:{agent_port}']}}]\n"
            ),
        )?;
        let log = std::fs::File::create(dir.join("prometheus.out"))
            .map_err(|e| format!("creating the Prometheus log: {e}"))?;
        let err = log.try_clone().map_err(|e| e.to_string())?;
        let mut cmd = Command::new(PROMETHEUS);
        cmd.arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--storage.tsdb.retention.time=1h")
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err);
        println!(
            "xtask: $ {}  (scraping the agent at 127.0.0.1:{agent_port} as job ml-inference)",
            crate::ctx::show(&cmd)
        );
        let child = cmd
            .spawn()
            .map_err(|e| format!("starting {PROMETHEUS}: {e}"))?;
        Ok(Prometheus {
            dir: dir.to_path_buf(),
            port,
            child: Some(child),
        })
    }

    /// Waits for `/-/ready`.
    pub fn wait(&mut self, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                return Err(format!(
                    "prometheus exited ({status}); its log: {}",
                    self.dir.join("prometheus.out").display()
                ));
            }
            if http_status(self.port, "/-/ready", None) == Some(200) {
                println!(
                    "xtask: Prometheus ready after {:.1}s",
                    start.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!(
            "Prometheus did not answer within {}s",
            limit.as_secs()
        ))
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops it (SIGTERM, then SIGKILL after 10 s).
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        if wait_for(&mut child, Duration::from_secs(10)).is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
        println!("xtask: Prometheus stopped");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        self.stop();
    }
}

/// RabbitMQ and Prometheus, started together (they boot in parallel).
pub struct Services {
    /// The broker.
    pub rabbitmq: RabbitMq,
    /// The metrics server.
    pub prometheus: Prometheus,
    /// The loopback port Prometheus scrapes (the agent under test binds it).
    pub agent_port: u16,
}

impl Services {
    /// Starts both under `root` and waits until both answer.
    pub fn start(root: &Path) -> Result<Services, String> {
        let agent_port = free_port()?;
        let mut rabbitmq = RabbitMq::start(&root.join("rabbitmq"))?;
        let mut prometheus = Prometheus::start(&root.join("prometheus"), agent_port)?;
        prometheus.wait(Duration::from_secs(60))?;
        rabbitmq.wait(Duration::from_secs(120))?;
        Ok(Services {
            rabbitmq,
            prometheus,
            agent_port,
        })
    }

    /// The environment the agent's real-part tests read.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("REPLICAST_REAL", "1".into()),
            ("REPLICAST_AMQP_URL", self.rabbitmq.amqp_url()),
            ("REPLICAST_RABBITMQ_HTTP", self.rabbitmq.http_url()),
            (
                "REPLICAST_RABBITMQCTL",
                self.rabbitmq.ctl().display().to_string(),
            ),
            ("REPLICAST_PROMETHEUS", self.prometheus.url()),
            ("REPLICAST_AGENT_PORT", self.agent_port.to_string()),
        ]
    }
}

fn wait_for(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// Ends the process group we created for a server (its shell and its VM).
fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

fn fresh(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("clearing {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// The test part: starts RabbitMQ and Prometheus, runs the agent's
/// real-part tests against them (`agent/tests/live_real.rs`, and TLS in
/// `agent/tests/tls_real.rs`), stops both.
pub fn test_agent(ctx: &Ctx) -> Result<(), String> {
    let services = Services::start(&ctx.target.join("agent-services"))?;
    // The same package selection as the workspace test part, so that cargo
    // unifies features the same way and reuses its build (`-p replicast`
    // alone resolves other features and recompiles the agent).
    let mut cmd = ctx.cargo();
    cmd.args([
        "test",
        "--workspace",
        "--exclude",
        "replicast-web",
        "--test",
        "live_real",
        "--test",
        "closed_loop",
        "--test",
        "tls_real",
        "--",
        "--test-threads=1",
    ]);
    for (k, v) in services.env() {
        cmd.env(k, v);
    }
    let result = run(&mut cmd);
    drop(services);
    result
}

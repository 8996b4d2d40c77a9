//! A TCP proxy a test can cut and restore: the database "goes away" for one
//! test's server without stopping the cluster every test shares. It
//! forwards to a TCP address or, for a cluster that listens only on its
//! socket, to a Unix socket.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Where the proxy forwards to.
#[derive(Debug, Clone)]
pub enum Target {
    Tcp(SocketAddr),
    Unix(PathBuf),
}

enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Stream {
    fn try_clone(&self) -> io::Result<Self> {
        Ok(match self {
            Self::Tcp(s) => Self::Tcp(s.try_clone()?),
            Self::Unix(s) => Self::Unix(s.try_clone()?),
        })
    }

    fn shutdown(&self) {
        let _ = match self {
            Self::Tcp(s) => s.shutdown(Shutdown::Both),
            Self::Unix(s) => s.shutdown(Shutdown::Both),
        };
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Tcp(s) => s.read(buf),
            Self::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Tcp(s) => s.write(buf),
            Self::Unix(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Tcp(s) => s.flush(),
            Self::Unix(s) => s.flush(),
        }
    }
}

struct Shared {
    target: Target,
    open: AtomicBool,
    live: Mutex<Vec<Stream>>,
}

/// Forwards every connection on its own port to its target until cut.
pub struct TcpProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl TcpProxy {
    /// Starts forwarding from a free local port to `target`.
    pub fn start(target: Target) -> io::Result<Self> {
        let listener = bind_below_ephemeral()?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            target,
            open: AtomicBool::new(true),
            live: Mutex::new(Vec::new()),
        });
        accept_while_open(listener, shared.clone())?;
        Ok(Self { addr, shared })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// As a database server that crashed: every connection through the
    /// proxy is closed, and the port stops listening, so new connections
    /// are refused.
    pub fn cut(&self) {
        self.shared.open.store(false, Ordering::SeqCst);
        // The accept loop sees the flag within a few milliseconds and drops
        // the listener.
        std::thread::sleep(std::time::Duration::from_millis(50));
        if let Ok(mut live) = self.shared.live.lock() {
            for stream in live.drain(..) {
                stream.shutdown();
            }
        }
    }

    /// Listens on the same port again.
    pub fn restore(&self) -> io::Result<()> {
        self.shared.open.store(true, Ordering::SeqCst);
        let listener = TcpListener::bind(self.addr)?;
        accept_while_open(listener, self.shared.clone())
    }
}

/// Binds a free port below the kernel's ephemeral range (32768 and up on
/// Linux). `restore` binds the same port again after a cut: a port from the
/// ephemeral range could meanwhile be taken by any outgoing connection on the
/// machine (with the tests running 8 at once, one was: "Address already in
/// use"), while below it only another listener choosing a port by number
/// could take it.
fn bind_below_ephemeral() -> io::Result<TcpListener> {
    use std::hash::{BuildHasher, Hasher};
    let mut last = io::Error::other("no port tried");
    for _ in 0..100 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        let port = 20_000 + (hasher.finish() % 12_000) as u16;
        match TcpListener::bind(("127.0.0.1", port)) {
            Ok(listener) => return Ok(listener),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Accepts and forwards on a thread of its own until the proxy is cut.
fn accept_while_open(listener: TcpListener, shared: Arc<Shared>) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    std::thread::Builder::new()
        .name("tcp-proxy".into())
        .spawn(move || {
            while shared.open.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let _ = client.set_nonblocking(false);
                        if let Err(e) = forward(&shared, client) {
                            eprintln!("tcp-proxy: {e}");
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    Err(e) => eprintln!("tcp-proxy: {e}"),
                }
            }
        })?;
    Ok(())
}

fn forward(shared: &Arc<Shared>, client: TcpStream) -> io::Result<()> {
    let _ = client.set_nodelay(true);
    let server = match &shared.target {
        Target::Tcp(addr) => {
            let s = TcpStream::connect(addr)?;
            let _ = s.set_nodelay(true);
            Stream::Tcp(s)
        }
        Target::Unix(path) => Stream::Unix(UnixStream::connect(path)?),
    };
    let client = Stream::Tcp(client);
    if let Ok(mut live) = shared.live.lock() {
        live.push(client.try_clone()?);
        live.push(server.try_clone()?);
    }
    pipe(client.try_clone()?, server.try_clone()?);
    pipe(server, client);
    Ok(())
}

/// Copies `from` to `to` on a thread of its own until either side closes.
fn pipe(mut from: Stream, mut to: Stream) {
    std::thread::spawn(move || {
        let _ = io::copy(&mut from, &mut to);
        to.shutdown();
        from.shutdown();
    });
}

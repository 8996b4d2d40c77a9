//! The allocator, set deliberately. glibc's malloc gives each thread that
//! allocates an arena of its own (up to 8 per core) and raises its mmap
//! threshold after every large free, so the 19 MiB blocks of Argon2 end up
//! in arenas that keep them: 200 sign-ins at once left 3 GB resident.
//! Before any thread starts, the server caps the arenas and fixes the mmap
//! threshold, so each hash's block is mapped for the hash and returned to
//! the system when it ends. (`scripts/signin-flood.sh` measures it.)

/// Arenas for the whole process: enough for two cores.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: libc::c_int = 2;
/// Blocks from this size up are mapped and unmapped on their own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 1 << 20;

/// Call first thing in `main`, before the runtime starts its threads.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before any
    // other thread exists, so nothing allocates concurrently.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

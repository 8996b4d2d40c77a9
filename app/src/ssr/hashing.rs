//! Password hashing with bounded work. Every Argon2 run takes ~19 MiB and
//! tens of milliseconds of a core, so at most `HASH_CONCURRENCY` run at once
//! per instance; a request that cannot get a turn within `HASH_QUEUE_MS` is
//! answered 503 with `Retry-After` instead of queueing without end (200
//! sign-ins at once would otherwise hold 200 × 19 MiB).

use crate::error::AppError;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OnceCell, Semaphore};

/// How long a client refused for lack of a turn is asked to wait.
const BUSY_RETRY_SECS: u32 = 2;

/// The instance's hashing budget. Cheap to clone: the permits are shared.
#[derive(Clone, Debug)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    wait: Duration,
    decoy: Arc<OnceCell<String>>,
}

impl Hasher {
    pub fn new(concurrency: usize, wait: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            wait,
            decoy: Arc::new(OnceCell::new()),
        }
    }

    /// Runs `work` on a blocking thread once a turn is free. The turn is held
    /// until the work ends, even when the request that asked has gone.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| {
                tracing::warn!("password hashing is at its limit; request refused");
                AppError::Unavailable {
                    retry_after_secs: BUSY_RETRY_SECS,
                }
            })?
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing did not finish");
            AppError::Internal
        })
    }

    /// A PHC string for a new password.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || password_auth::generate_hash(password))
            .await
    }

    /// Whether `password` matches `hash`. With no hash (an unknown account)
    /// a decoy is checked, so both answers take the same time.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        let known = hash.is_some();
        let hash = match hash {
            Some(hash) => hash,
            None => self.decoy().await?,
        };
        let matches = self
            .run(move || password_auth::verify_password(password, &hash).is_ok())
            .await?;
        Ok(known && matches)
    }

    async fn decoy(&self) -> Result<String, AppError> {
        self.decoy
            .get_or_try_init(|| self.hash("not a real password".to_owned()))
            .await
            .cloned()
    }

    /// Turns free right now (for tests and diagnostics).
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_budget_answers_503_after_the_wait() {
        let hasher = Hasher::new(1, Duration::from_millis(50));
        let held = hasher.permits.clone().acquire_owned().await.unwrap();
        let refused = hasher.hash("x".repeat(12)).await;
        assert_eq!(
            refused,
            Err(AppError::Unavailable {
                retry_after_secs: BUSY_RETRY_SECS
            })
        );
        drop(held);
        let hash = hasher.hash("correct horse".into()).await.unwrap();
        assert!(hasher
            .verify("correct horse".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!hasher.verify("wrong".into(), Some(hash)).await.unwrap());
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
        assert_eq!(hasher.available(), 1);
    }
}

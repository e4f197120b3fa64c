//! Waiting for Meilisearch's tasks: writes are queued there and applied later, and a task can
//! fail after its request was accepted, so a write counts only once its task succeeded.

use super::transport::Client;
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use std::time::Duration;

/// How long a write may wait for its task (a large batch under load takes seconds).
pub const TASK_TIMEOUT: Duration = Duration::from_secs(60);
/// How often a task's state is asked for while waiting.
const POLL: Duration = Duration::from_millis(20);

/// Waits for `task` and fails unless it succeeded (a failed task names Meilisearch's reason).
pub async fn wait(client: &Client, task: TaskInfo) -> anyhow::Result<()> {
    let uid = task.task_uid;
    match client.wait_for_task(task, Some(POLL), Some(TASK_TIMEOUT)).await? {
        Task::Succeeded { .. } => Ok(()),
        Task::Failed { content } => anyhow::bail!(
            "Meilisearch task {uid} failed: {} ({:?})",
            content.error.error_message,
            content.error.error_code
        ),
        Task::Enqueued { .. } | Task::Processing { .. } => {
            anyhow::bail!("Meilisearch task {uid} did not finish within {TASK_TIMEOUT:?}")
        }
    }
}

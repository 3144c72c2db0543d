/** Whether a process is still there (a zombie not yet reaped by its parent counts): signal 0 reaches it. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

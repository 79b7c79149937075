namespace LicenseRisk.Presentation;

/// <summary>
/// An exclusive lock held through a lock file opened with FileShare.None (an advisory flock on
/// Unix, a share mode on Windows), across processes and within one. The operating system releases
/// it when the holder exits, so a crashed process never leaves it held. The file is left in place:
/// deleting it would let two holders lock two different files.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>
    /// Takes the lock on <paramref name="path"/> (created if missing), retrying every 50 ms while
    /// another holder has it, for at most <paramref name="wait"/>.
    /// </summary>
    /// <returns>the held lock, or null when the wait ran out.</returns>
    public static FileLock? TryAcquire(string path, TimeSpan wait, TimeProvider? time = null, CancellationToken ct = default)
    {
        time ??= TimeProvider.System;
        var start = time.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException ex) when (ex is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
            {
                if (time.GetElapsedTime(start) >= wait)
                {
                    return null;
                }

                ct.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(50));
                ct.ThrowIfCancellationRequested();
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}

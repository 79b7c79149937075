using LicenseRisk.Presentation;
namespace LicenseRisk.Hosting.Reports;

/// <summary>Thrown when another report run holds the output folder's lock for longer than the wait.</summary>
public sealed class ReportLockedException(string lockFile, TimeSpan waited)
    : Exception($"{lockFile}: {Describe(waited)}")
{
    /// <summary>The lock file another run holds: where the command line locates the error.</summary>
    public string LockFile { get; } = lockFile;

    /// <summary>What is wrong, without the lock file's path.</summary>
    public string Reason { get; } = Describe(waited);

    private static string Describe(TimeSpan waited) =>
        $"another report run is writing to this folder (waited {waited.TotalSeconds:0.#} s); try again when it has finished";
}

/// <summary>
/// An exclusive lock on an output folder: <c>.licenserisk.lock</c>, a <see cref="FileLock"/>.
/// </summary>
public sealed class OutputLock : IDisposable
{
    public const string FileName = ".licenserisk.lock";

    private readonly FileLock _lock;

    private OutputLock(FileLock held) => _lock = held;

    public static OutputLock Acquire(string directory, TimeSpan wait, TimeProvider time, CancellationToken ct = default)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(directory, ex.Message, ex);
        }

        var path = Path.Combine(directory, FileName);
        return new OutputLock(FileLock.TryAcquire(path, wait, time, ct) ?? throw new ReportLockedException(path, wait));
    }

    public void Dispose() => _lock.Dispose();
}

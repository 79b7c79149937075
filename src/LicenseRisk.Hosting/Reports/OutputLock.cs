namespace LicenseRisk.Hosting.Reports;

/// <summary>Thrown when another report run holds the output folder's lock for longer than the wait.</summary>
public sealed class ReportLockedException(string lockFile, TimeSpan waited)
    : Exception($"{lockFile}: another report run is writing to this folder (waited {waited.TotalSeconds:0.#} s); try again when it has finished");

/// <summary>
/// An exclusive lock on an output folder: <c>.licenserisk.lock</c> opened with FileShare.None
/// (an advisory flock on Unix, held across processes). The file is left in place: deleting it
/// would let two runs lock two different files.
/// </summary>
public sealed class OutputLock : IDisposable
{
    public const string FileName = ".licenserisk.lock";

    private readonly FileStream _stream;

    private OutputLock(FileStream stream) => _stream = stream;

    public static OutputLock Acquire(string directory, TimeSpan wait, TimeProvider time, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var start = time.GetTimestamp();
        while (true)
        {
            try
            {
                return new OutputLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (time.GetElapsedTime(start) < wait)
            {
                ct.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
                ct.ThrowIfCancellationRequested();
            }
            catch (IOException)
            {
                throw new ReportLockedException(path, wait);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>Writes a file atomically: a temporary file in the same folder, then a rename over the target.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():n}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public static void WriteText(string path, string text) =>
        Write(path, s => s.Write(new System.Text.UTF8Encoding(false).GetBytes(text)));
}

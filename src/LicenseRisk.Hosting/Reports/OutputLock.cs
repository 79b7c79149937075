using LicenseRisk.Presentation;
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
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(directory, ex.Message, ex);
        }

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

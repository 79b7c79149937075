namespace LicenseRisk.Presentation;

/// <summary>A file that could not be written (a folder in the way, no permission, disk full).</summary>
public sealed class OutputException(string path, string reason, Exception inner)
    : Exception($"{path}: cannot write: {reason}", inner)
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}

/// <summary>
/// Writes a file atomically: a temporary file in the same folder, flushed to disk, then renamed
/// over the target. A crash leaves the old file whole; a failure is an <see cref="OutputException"/>.
/// The one file writer of the CLI and the service.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write) => Write(path, write, commit: () => true);

    /// <summary>
    /// Writes the temporary file, then replaces the target only if <paramref name="commit"/> still
    /// holds (a streamed output that met an error half-way); otherwise the target is left as it was.
    /// </summary>
    /// <returns>whether the target was replaced.</returns>
    public static bool Write(string path, Action<Stream> write, Func<bool> commit)
    {
        string? temp = null;
        try
        {
            var full = System.IO.Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                throw new OutputException(path, "it is a folder", new IOException(full));
            }

            var dir = System.IO.Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(dir);
            temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():n}.tmp");
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(fs);
                if (!commit())
                {
                    return false;
                }

                fs.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not OutputException)
        {
            // The temporary file is ours, not the user's: name the path they gave instead.
            throw new OutputException(path, temp is null ? ex.Message : ex.Message.Replace(temp, path, StringComparison.Ordinal), ex);
        }
        finally
        {
            if (temp is not null && File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public static void WriteText(string path, string text) => WriteText(path, w => w.Write(text));

    /// <summary>Writes UTF-8 text (no byte-order mark) as it is produced, through a buffered writer.</summary>
    public static void WriteText(string path, Action<TextWriter> write) =>
        Write(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
            write(w);
        });
}

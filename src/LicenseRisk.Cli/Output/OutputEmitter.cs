using LicenseRisk.Presentation;

namespace LicenseRisk.Cli.Output;

/// <summary>Writes a command's output to its <c>--output</c> file (atomically) or to standard output.</summary>
public static class OutputEmitter
{
    /// <summary>
    /// Streams the output to a temporary file, then, if <paramref name="ok"/> still holds, moves it
    /// to the file (<see cref="AtomicFile"/>) or copies it to standard output; otherwise nothing is
    /// written. Memory stays flat.
    /// </summary>
    public static bool EmitStreamed(string? path, TextWriter stdout, Action<Stream> write, Func<bool> ok)
    {
        if (path is not null)
        {
            return AtomicFile.Write(path, write, ok);
        }

        var spool = Path.Combine(Path.GetTempPath(), $".licenserisk-stdout.{Environment.ProcessId}.{Guid.NewGuid():n}.tmp");
        try
        {
            using var fs = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            write(fs);
            if (!ok())
            {
                return false;
            }

            fs.Position = 0;
            using var reader = new StreamReader(fs, new System.Text.UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            var buffer = new char[1 << 16];
            int n;
            while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                stdout.Write(buffer, 0, n);
            }

            stdout.Flush();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(spool, ex.Message, ex);
        }
    }

    /// <summary>Writes the output to the file (atomically) or standard output.</summary>
    public static void Emit(string? path, TextWriter stdout, Action<Stream> write)
    {
        if (path is null)
        {
            using var ms = new MemoryStream();
            write(ms);
            stdout.Write(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
            stdout.Flush();
            return;
        }

        AtomicFile.Write(path, write);
    }
}

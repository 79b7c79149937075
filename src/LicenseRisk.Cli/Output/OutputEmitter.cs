using LicenseRisk.Presentation;

namespace LicenseRisk.Cli.Output;

/// <summary>Writes a command's output to its <c>--output</c> file (atomically) or to standard output.</summary>
public static class OutputEmitter
{
    /// <summary>
    /// Streams the output to a temporary file, then, if <paramref name="ok"/> still holds, moves it
    /// to the file or copies it to standard output; otherwise nothing is written. Memory stays flat.
    /// </summary>
    public static bool EmitStreamed(string? path, TextWriter stdout, Action<Stream> write, Func<bool> ok)
    {
        if (path is not null && Directory.Exists(path))
        {
            throw new OutputException(path, "it is a folder", new IOException(path));
        }

        string temp;
        try
        {
            var dir = path is null ? Path.GetTempPath() : Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(dir);
            temp = Path.Combine(dir, $".{(path is null ? "licenserisk-stdout" : Path.GetFileName(path))}.{Environment.ProcessId}.{Guid.NewGuid():n}.tmp");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(path ?? Path.GetTempPath(), ex.Message, ex);
        }

        try
        {
            using (var fs = File.Create(temp))
            {
                write(fs);
            }

            if (!ok())
            {
                return false;
            }

            if (path is not null)
            {
                File.Move(temp, path, overwrite: true);
                return true;
            }

            using var reader = new StreamReader(temp, new System.Text.UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
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
            throw new OutputException(path ?? temp, ex.Message, ex);
        }
        finally
        {
            File.Delete(temp);
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

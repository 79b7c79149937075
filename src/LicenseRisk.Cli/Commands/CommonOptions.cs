using System.CommandLine;
using System.Globalization;
using LicenseRisk.Model;

namespace LicenseRisk.Cli.Commands;

/// <summary>Options shared by commands (cli.md), and their validation into located messages.</summary>
public static class CommonOptions
{
    public static Option<string?> Rules() => new("--rules") { Description = "Rule pack folder (default: the bundled pack)" };

    public static Option<string?> AsOf() => new("--as-of") { Description = "Evaluate as of this day, YYYY-MM-DD (default: today, UTC)" };

    public static Option<int?> Horizon() => new("--horizon") { Description = "Horizon in months (default: the pack's, 12)" };

    public static Option<string?> Output() => new("--output", "-o") { Description = "Write to this file instead of standard output" };

    public static Option<string?> Policy() => new("--policy") { Description = "Organisation policy layered over the pack (policy.yaml): disabled rules, weights, prior, thresholds, waivers" };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Print no warnings" };

    public static Option<string> Format(string defaultValue, params string[] allowed)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = $"Output format: {string.Join(", ", allowed)}",
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }

    public static DateOnly? ParseAsOf(string? text, DiagnosticBag diags)
    {
        if (text is null)
        {
            return DateOnly.FromDateTime(DateTime.UtcNow);
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        diags.Error(SourceSpan.None("--as-of"), "LR901", $"must be a date YYYY-MM-DD, not '{text}'");
        return null;
    }

    public static int? CheckHorizon(int? months, DiagnosticBag diags)
    {
        if (months is < 1 or > 120)
        {
            diags.Error(SourceSpan.None("--horizon"), "LR902", $"must be between 1 and 120 months, not {months}");
            return null;
        }

        return months;
    }

    /// <summary>Prints errors (always) and warnings (unless quiet) to standard error, in file order.</summary>
    public static void Print(DiagnosticBag diags, TextWriter stderr, bool quiet)
    {
        foreach (var d in diags.Sorted())
        {
            if (d.IsError || !quiet)
            {
                stderr.WriteLine(d.ToString());
            }
        }

        var errors = diags.Items.Count(d => d.IsError);
        if (errors > 0)
        {
            stderr.WriteLine($"{errors} error{(errors == 1 ? string.Empty : "s")}");
        }
    }

    /// <summary>
    /// Streams the output to a temporary file, then, if <paramref name="ok"/> still holds, moves it
    /// to the file or copies it to standard output; otherwise nothing is written. Memory stays flat.
    /// </summary>
    public static bool EmitStreamed(string? path, TextWriter stdout, Action<Stream> write, Func<bool> ok)
    {
        var dir = path is null ? Path.GetTempPath() : Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{(path is null ? "licenserisk-stdout" : Path.GetFileName(path))}.{Environment.ProcessId}.tmp");
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
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Writes the output to the file or standard output.</summary>
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

        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        using (var fs = File.Create(temp))
        {
            write(fs);
        }

        File.Move(temp, path, overwrite: true);
    }
}

using System.CommandLine;
using System.Globalization;
using LicenseRisk.Model;
using LicenseRisk.Presentation;
using LicenseRisk.Application;

namespace LicenseRisk.Cli.Commands;

/// <summary>Options shared by commands (cli.md), and their validation into located messages.</summary>
public static class CommonOptions
{
    public static Option<string?> Rules() => new("--rules") { Description = "Rule pack folder (default: the bundled pack)" };

    public static Option<string?> AsOf() => new("--as-of") { Description = "Evaluate as of this day, YYYY-MM-DD (default: today, UTC)" };

    public static Option<string?> Horizon() => new("--horizon") { Description = "Horizon in months (default: the pack's, 12)" };

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

    /// <summary>
    /// The engine, configured as <see cref="ServiceCollectionExtensions.AddLicenseRisk"/> does for the
    /// service and the tests, but built directly: a dependency-injection container costs a CLI run
    /// about 10 ms of start-up (its generic dictionaries are JIT-compiled) and resolves nothing else.
    /// </summary>
    public static LicenseRiskEngine Engine(string? rulesDirectory, LicenseRisk.Rules.ExpressionCompilerKind compiler = LicenseRisk.Rules.ExpressionCompilerKind.Fast) =>
        new(new LicenseRiskOptions { RulesDirectory = rulesDirectory, ExpressionCompiler = compiler });

    public static DateOnly? ParseAsOf(string? text, DiagnosticBag diags)
    {
        if (text is null)
        {
            return DateOnly.FromDateTime(DateTime.UtcNow);
        }

        if (IsoDate.TryParse(text, out var d, out var notADay))
        {
            if (d.Year is >= 1900 and <= 2200)
            {
                return d;
            }

            diags.Report(SourceSpan.None("--as-of"), DiagnosticCodes.BadAsOf, $"'{text}' is outside the years 1900 to 2200");
            return null;
        }

        diags.Report(SourceSpan.None("--as-of"), DiagnosticCodes.BadAsOf, notADay ?? $"must be a date YYYY-MM-DD, not '{text}'");
        return null;
    }

    public static int? CheckHorizon(string? text, DiagnosticBag diags)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var months) && months is >= 1 and <= 120)
        {
            return months;
        }

        diags.Report(SourceSpan.None("--horizon"), DiagnosticCodes.BadHorizon, $"must be a whole number of months from 1 to 120, not '{text}'");
        return null;
    }

    /// <summary>A probability option: a finite number from 0 to 1 (NaN would silently disable a gate).</summary>
    public static double? ParseProbability(string? text, string option, DiagnosticBag diags)
    {
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1)
        {
            return p;
        }

        diags.Report(SourceSpan.None(option), DiagnosticCodes.BadProbability, $"must be a probability from 0 to 1, not '{text}'");
        return null;
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
            stderr.WriteLine(Plural.Of(errors, "error"));
        }
    }

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

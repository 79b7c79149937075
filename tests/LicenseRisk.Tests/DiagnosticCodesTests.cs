using System.Text.RegularExpressions;
using LicenseRisk.Model;

namespace LicenseRisk.Tests;

/// <summary>The diagnostics registry is the one place codes are written, and the docs list it.</summary>
public sealed partial class DiagnosticCodesTests
{
    private const string RegistryFile = "src/LicenseRisk.Model/DiagnosticCodes.cs";

    [Fact]
    public void No_source_file_outside_the_registry_writes_a_code()
    {
        var root = Repo.Path("src");
        var offenders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(root, f)))
            .Where(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/') != RegistryFile)
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => CodePattern().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(Repo.Root, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();

        offenders.ShouldBeEmpty("use an entry of DiagnosticCodes instead of writing the code");
    }

    [Fact]
    public void The_registry_finds_its_entries_and_has_no_duplicate_code()
    {
        DiagnosticCodes.All.Count.ShouldBeGreaterThan(80);
        DiagnosticCodes.All.GroupBy(d => d.Code).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty();
        DiagnosticCodes.All.ShouldAllBe(d => CodePattern().IsMatch(d.Code) && d.Code.Length == 5 && d.Title.Length > 0 && d.Help.Length > 0);
    }

    [Fact]
    public void Docs_list_every_code_of_the_registry_and_no_other()
    {
        var documented = File.ReadLines(Repo.Path("docs/diagnostics.md"))
            .Select(line => TableRow().Match(line))
            .Where(m => m.Success)
            .Select(m => (Code: m.Groups[1].Value, Severity: m.Groups[2].Value, Title: m.Groups[3].Value, Help: m.Groups[4].Value))
            .ToList();
        var registry = DiagnosticCodes.All
            .Select(d => (d.Code, Severity: d.Severity.ToString().ToLowerInvariant(), d.Title, d.Help))
            .ToList();

        documented.Except(registry).ShouldBeEmpty("documented but not in the registry (or documented differently)");
        registry.Except(documented).ShouldBeEmpty("in the registry but not documented (or documented differently)");
        documented.Count.ShouldBe(registry.Count, "a code is documented twice");
    }

    [Fact]
    public void A_diagnostic_prints_its_descriptors_severity_and_code()
    {
        var diags = new DiagnosticBag();
        diags.Report(new SourceSpan("d.yaml", 6, 11), DiagnosticCodes.BadDate, "'date' must be a date YYYY-MM-DD");
        diags.Report(new SourceSpan("d.yaml", 3, 5), DiagnosticCodes.SignalWithoutSource, "release signal has no source");

        diags.Items.Select(d => d.ToString()).ShouldBe(
        [
            "d.yaml:6:11: error LR014: 'date' must be a date YYYY-MM-DD",
            "d.yaml:3:5: warning LR090: release signal has no source",
        ]);
        diags.HasErrors.ShouldBeTrue();
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Replace('\\', '/').Split('/').Any(part => part is "bin" or "obj");

    [GeneratedRegex(@"LR[0-9]{3}")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^\| (LR[0-9]{3}) \| (error|warning) \| (.+?) \| (.+?) \|$")]
    private static partial Regex TableRow();
}

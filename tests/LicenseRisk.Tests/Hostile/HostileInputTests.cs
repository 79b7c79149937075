using System.Diagnostics;
using System.Text.RegularExpressions;
using LicenseRisk.Tests.Cli;
using Xunit.Abstractions;

namespace LicenseRisk.Tests.Hostile;

/// <summary>
/// Every hostile input gets a located error (exit 2) from the real program, with no stack trace,
/// and none hangs: the program is killed after 60 seconds (<see cref="CliProcess"/>), and an
/// exponential blow-up (billion laughs, deep nesting) would take minutes, so a kill is a hang.
/// This is a hang guard, not a speed check (speed is measured in the benchmark project): an
/// earlier relative limit (five times a benign run plus 2 s) failed on a loaded machine when one
/// process stalled. Run alone with: dotnet test --filter Category=Hostile
/// </summary>
[Trait("Category", "Hostile")]
public sealed partial class HostileInputTests(ITestOutputHelper output)
{
    [GeneratedRegex(@":\d+:\d+: error LR\d{3}: |^[^:\n]+: error LR\d{3}: ", RegexOptions.Multiline)]
    private static partial Regex Located();

    [Fact]
    public void HostileCorpus_EveryInputIsRejectedWithALocatedError_AndNoneHangs()
    {
        int located = 0, crashes = 0, hangs = 0, other = 0;
        var problems = new List<string>();
        foreach (var input in HostileCorpus.All)
        {
            CliResult result;
            TimeSpan elapsed;
            try
            {
                (result, elapsed) = Run(input);
            }
            catch (TimeoutException e)
            {
                hangs++;
                problems.Add($"{input.Name}: hung ({e.Message})");
                output.WriteLine($"{input.Name,-36} killed after 60 s");
                continue;
            }

            var firstError = result.Stderr.Split('\n').FirstOrDefault(l => l.Contains(" error LR", StringComparison.Ordinal)) ?? result.Stderr.Trim();
            output.WriteLine($"{input.Name,-36} exit {result.ExitCode}  {elapsed.TotalMilliseconds,5:0} ms  {Shorten(firstError)}");
            if (result.ExitCode == 3 || result.Stderr.Contains("   at ", StringComparison.Ordinal) || result.ExitCode is not (0 or 1 or 2))
            {
                crashes++;
                problems.Add($"{input.Name}: crashed (exit {result.ExitCode})");
            }
            else if (result.ExitCode == 2 && Located().IsMatch(result.Stderr) && !result.Stderr.Contains('\u001b', StringComparison.Ordinal))
            {
                located++;
            }
            else
            {
                other++;
                problems.Add($"{input.Name}: exit {result.ExitCode} without a located error: {Shorten(result.Stderr + result.Stdout)}");
            }
        }

        output.WriteLine($"hostile corpus: {HostileCorpus.All.Count} inputs tried, {located} rejected with located errors, {crashes} crashes, {hangs} hangs, {other} other");
        problems.ShouldBeEmpty();
    }

    private static string Shorten(string s)
    {
        s = s.Replace('\n', ' ').Trim();
        return s.Length > 140 ? s[..137] + "..." : s;
    }

    public static (CliResult Result, TimeSpan Elapsed) Run(HostileInput input)
    {
        using var pack = new TestPack(input.Target == Target.Expression
            ? $"rules:\n  - id: r\n    title: t\n    weight: 1\n    when:\n      - signal: release\n        where: {Quote(System.Text.Encoding.UTF8.GetString(input.Content))}\n"
            : "rules: []\n");
        var stopwatch = Stopwatch.StartNew();
        CliResult result;
        switch (input.Target)
        {
            case Target.Dossier:
                var file = Path.Combine(pack.Dir, "dossiers", "hostile.yaml");
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllBytes(file, input.Content);
                result = CliProcess.Run("score", file, "--rules", pack.Dir, "--as-of", "2026-03-05");
                break;
            case Target.RuleFile:
                File.WriteAllBytes(Path.Combine(pack.Dir, "rules.yaml"), input.Content);
                result = CliProcess.Run("rules", "lint", pack.Dir);
                break;
            default:
                result = CliProcess.Run("rules", "lint", pack.Dir);
                break;
        }

        return (result, stopwatch.Elapsed);
    }

    private static string Quote(string expression) => "'" + expression.Replace("'", "''", StringComparison.Ordinal) + "'";
}

using LicenseRisk.Model;

namespace LicenseRisk.Cli.Output;

/// <summary>Prints diagnostics on standard error: errors always, warnings unless quiet, in file order, then the error count.</summary>
public static class DiagnosticPrinter
{
    /// <summary>One problem found outside any bag (a command's own check), printed as a bag of it is.</summary>
    public static void Print(SourceSpan at, DiagnosticDescriptor descriptor, string message, TextWriter stderr, bool quiet)
    {
        var one = new DiagnosticBag();
        one.Report(at, descriptor, message);
        Print(one, stderr, quiet);
    }

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
}

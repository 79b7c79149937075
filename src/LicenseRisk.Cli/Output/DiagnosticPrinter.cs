using LicenseRisk.Model;

namespace LicenseRisk.Cli.Output;

/// <summary>Prints diagnostics on standard error: errors always, warnings unless quiet, in file order, then the error count.</summary>
public static class DiagnosticPrinter
{
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

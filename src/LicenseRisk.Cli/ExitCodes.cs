namespace LicenseRisk.Cli;

/// <summary>Exit codes (docs/cli.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int GateTripped = 1;
    public const int BadInput = 2;
    public const int InternalError = 3;
}

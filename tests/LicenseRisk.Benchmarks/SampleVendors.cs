namespace LicenseRisk.Benchmarks;

/// <summary>
/// Many vendor dossiers shaped like the samples, for the bundled pack: vendor i is sample i mod 6
/// (samples/vendors, in file order) under the id <c>SAMPLE-NNNN</c>, with each of its signals kept
/// with probability 4/5 (seeded per vendor), so the vendors score differently. Text-level copies:
/// the vendor block's id and name are rewritten, and signal items (lines from <c>- kind:</c> at the
/// start of a line up to the next one) are dropped whole.
/// </summary>
public static class SampleVendors
{
    public const int Seed = 20261205;

    public static void Write(string samplesDir, string outDir, int count)
    {
        var samples = Directory.GetFiles(samplesDir, "*.yaml").Order(StringComparer.Ordinal).ToArray();
        if (samples.Length == 0)
        {
            throw new ArgumentException($"no *.yaml dossiers in {samplesDir}", nameof(samplesDir));
        }

        var texts = samples.Select(File.ReadAllLines).ToArray();
        Directory.CreateDirectory(outDir);
        for (var i = 0; i < count; i++)
        {
            var sample = i % samples.Length;
            var id = $"{Path.GetFileNameWithoutExtension(samples[sample])}-{i / samples.Length:D4}";
            File.WriteAllLines(Path.Combine(outDir, id + ".yaml"), Copy(texts[sample], id, new Random(Seed + i)));
        }
    }

    private static IEnumerable<string> Copy(string[] lines, string id, Random random)
    {
        var inVendor = false;
        var keep = true;
        foreach (var line in lines)
        {
            if (line.StartsWith("- kind:", StringComparison.Ordinal))
            {
                keep = random.Next(5) != 0;
            }
            else if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && line[0] != '#' && line[0] != '-')
            {
                inVendor = line.StartsWith("vendor:", StringComparison.Ordinal);
                keep = true;
            }
            else if (inVendor && line.StartsWith("  id: ", StringComparison.Ordinal))
            {
                yield return "  id: " + id;
                continue;
            }
            else if (inVendor && line.StartsWith("  name: ", StringComparison.Ordinal))
            {
                yield return line + " " + id[(id.LastIndexOf('-') + 1)..];
                continue;
            }

            if (keep)
            {
                yield return line;
            }
        }
    }
}

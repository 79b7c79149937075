namespace LicenseRisk;

/// <summary>
/// "Did you mean" hints by edit distance, where inserting, deleting or changing a letter, or swapping
/// two adjacent letters ("hihg" for "high"), is one edit.
/// </summary>
public static class Suggest
{
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates.Order(StringComparer.Ordinal))
        {
            var d = Distance(word, c);
            if (d < bestDistance)
            {
                best = c;
                bestDistance = d;
            }
        }

        return best is not null && bestDistance <= Math.Max(1, word.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        // Optimal string alignment: Levenshtein plus the swap of two adjacent letters, three rows.
        var before = new int[b.Length + 1];
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    cur[j] = Math.Min(cur[j], before[j - 2] + 1);
                }
            }

            (before, prev, cur) = (prev, cur, before);
        }

        return prev[b.Length];
    }
}

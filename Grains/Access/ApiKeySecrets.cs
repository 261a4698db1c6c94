using System.Security.Cryptography;
using System.Text;

namespace TaskGrid.Grains.Access;

/// <summary>
/// Makes and hashes API keys. A key is <c>tg_</c> plus 40 random base62 characters (238 bits),
/// so a single fast SHA-256 is enough to store it: unlike a password, it cannot be guessed
/// from a dictionary, and the lookup by hash stays one index probe per request.
/// </summary>
public static class ApiKeySecrets
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int RandomLength = 40;

    /// <summary>The characters of a key kept in clear to recognise it.</summary>
    public const int PrefixLength = 10;

    /// <summary>A new random key.</summary>
    public static string NewKey() => "tg_" + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    /// <summary>The SHA-256 of a key, as stored.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The first characters of a key, as shown in listings.</summary>
    public static string PrefixOf(string key) => key.Length <= PrefixLength ? key : key[..PrefixLength];
}

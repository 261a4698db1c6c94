using System.Text.Json;
using TaskGrid.Serialization;

namespace TaskGrid.Cli.Connection;

/// <summary>
/// Reads and writes <c>profile.json</c> in the user's configuration directory. The file holds an
/// API key, so it is created readable by its owner only (mode 600, in a 700 directory) and
/// replaced atomically: a reader never sees half a file.
/// </summary>
internal sealed class ProfileStore(string directory)
{
    private static readonly JsonSerializerOptions s_indented = new(TaskGridJson.Options) { WriteIndented = true };

    public string FilePath { get; } = Path.Combine(directory, "profile.json");

    public LoginProfile? Load()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }
        try
        {
            var profile = JsonSerializer.Deserialize<LoginProfile>(File.ReadAllText(FilePath), TaskGridJson.Options);
            return profile is { Url.Length: > 0, ApiKey.Length: > 0 } ? profile : throw Broken("it lacks url or api_key");
        }
        catch (JsonException ex)
        {
            throw Broken(ex.Message);
        }
        catch (IOException ex)
        {
            throw Broken(ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Broken(ex.Message);
        }
    }

    public void Save(LoginProfile profile)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, profile, s_indented);
        }
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only when the file is new; a left-over temp file keeps its mode.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, FilePath, overwrite: true);
    }

    public bool Delete()
    {
        if (!File.Exists(FilePath))
        {
            return false;
        }
        File.Delete(FilePath);
        return true;
    }

    private UsageException Broken(string why) =>
        new($"the profile {FilePath} cannot be read ({why}); run 'taskgrid login' again or delete it.");
}

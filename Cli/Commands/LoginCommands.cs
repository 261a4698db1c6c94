using System.CommandLine;
using System.Net;
using Spectre.Console;
using TaskGrid.Cli.Connection;
using TaskGrid.Client;
using TaskGrid.Users;

namespace TaskGrid.Cli.Commands;

/// <summary><c>taskgrid login</c> and <c>taskgrid logout</c>: the profile file.</summary>
internal static class LoginCommands
{
    public static Command BuildLogin(CliApp app)
    {
        var login = new Command("login", "Check an API key and save it with the gateway URL in your profile (mode 600).");
        app.SetRun(login, async (session, parse, ct) =>
        {
            var urlText = session.UrlOption ?? NonEmpty(session.Host.Environment(ConnectionSettings.UrlVariable)) ?? SavedUrl(session) ?? ConnectionSettings.DefaultUrl;
            var url = ConnectionSettings.ParseUrl(urlText, "the gateway URL");
            var key = session.ApiKeyOption ?? NonEmpty(session.Host.Environment(ConnectionSettings.ApiKeyVariable)) ?? await ReadKeyAsync(session, url, ct);
            UserView user;
            using (var client = CliSession.CreateClient(url, key))
            {
                try
                {
                    user = await client.GetCurrentUserAsync(ct);
                }
                catch (TaskGridApiException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
                {
                    session.Error.MarkupLine($"[red]error:[/] {Markup.Escape(url.ToString())} refused the key: {Markup.Escape(ex.Detail ?? ex.Message)} Nothing was saved.");
                    return ExitCodes.Auth;
                }
            }
            session.Profiles.Save(new LoginProfile(url.ToString(), key));
            session.Out.Write(user, console => console.MarkupLine(
                $"logged in to {Markup.Escape(url.ToString())} as {Markup.Escape(user.Name)} ({Markup.Escape(user.Id)}, {user.Role.ToString().ToLowerInvariant()}); saved in {Markup.Escape(session.Profiles.FilePath)}"));
            return ExitCodes.Ok;
        });
        return app.Examples(login,
            "taskgrid login --url https://taskgrid.example.com           (asks for the key)",
            "taskgrid login --url http://127.0.0.1:8080 --api-key \"$(cat .taskgrid/admin.key)\"",
            "pass show taskgrid | taskgrid login --url https://taskgrid.example.com");
    }

    public static Command BuildLogout(CliApp app)
    {
        var logout = new Command("logout", "Forget the saved profile (URL and API key).");
        app.SetRun(logout, (session, parse, ct) =>
        {
            var path = session.Profiles.FilePath;
            session.Note(session.Profiles.Delete() ? $"removed {Markup.Escape(path)}" : $"no profile at {Markup.Escape(path)}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return app.Examples(logout, "taskgrid logout");
    }

    private static async Task<string> ReadKeyAsync(CliSession session, Uri url, CancellationToken cancellationToken)
    {
        string? key;
        if (session.Host.InputIsTerminal && session.Host.OutputIsTerminal)
        {
            key = await new TextPrompt<string>($"API key for {Markup.Escape(url.ToString())}:").Secret().ShowAsync(session.Error, cancellationToken);
        }
        else
        {
            key = await session.Host.In.ReadLineAsync(cancellationToken);
        }
        return NonEmpty(key) ?? throw new UsageException("no API key given: pass --api-key, set TASKGRID_API_KEY, or type it when asked.");
    }

    // A broken profile is about to be replaced: it only lends its URL when it can be read.
    private static string? SavedUrl(CliSession session)
    {
        try
        {
            return session.Profiles.Load()?.Url;
        }
        catch (UsageException)
        {
            return null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

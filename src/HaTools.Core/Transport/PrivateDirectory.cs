using System;
using System.IO;
using System.Runtime.InteropServices;
using HaTools.Core.Model;

namespace HaTools.Core.Transport;

/// <summary>A folder only the current user can enter (0700), for control sockets and staging.</summary>
internal static class PrivateDirectory
{
    [DllImport("libc", SetLastError = true)]
    private static extern int chmod(string path, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int mkdir(string path, uint mode);

    public static void Ensure(string path)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && !RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            Directory.CreateDirectory(path);
            return;
        }
        var parent = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent)) Directory.CreateDirectory(parent!);
        if (!Directory.Exists(path) && mkdir(path, Convert.ToUInt32("700", 8)) != 0 && !Directory.Exists(path))
            throw new HaException($"cannot create private folder {path} (errno {Marshal.GetLastWin32Error()})") { Target = path };
        var info = new FileInfo(path);
        if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
            throw new HaException($"refusing to use {path}: it is a symbolic link") { Target = path };
        if (chmod(path, Convert.ToUInt32("700", 8)) != 0)
            throw new HaException($"cannot make {path} private (errno {Marshal.GetLastWin32Error()}); is it owned by another user?") { Target = path };
    }
}

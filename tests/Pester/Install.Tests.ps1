#Requires -Version 7.0
# Installed the way users install modules: README.md's Install block, run as written (build.ps1 -Task Package, a
# local file repository, Publish-PSResource, Install-PSResource), then Import-Module HaTools BY NAME in a fresh pwsh.
# Everything PSResourceGet writes (its repository list, the installed module) goes under a temporary HOME.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:block = Get-ReadmeBlock -Heading 'Install'
    $script:tempHome = Join-Path ([IO.Path]::GetTempPath()) ("hatools-install-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path (Join-Path $script:tempHome 'tmp') | Out-Null
    $realHome = [Environment]::GetFolderPath('UserProfile')
    $script:env = @{
        HOME             = $script:tempHome
        TMPDIR           = Join-Path $script:tempHome 'tmp'
        # Unset: with XDG_DATA_HOME set, PSResourceGet 1.2.0 keeps its repository list relative to the working
        # directory; unset, everything it writes lands under HOME.
        XDG_DATA_HOME    = $null
        XDG_CONFIG_HOME  = $null
        # dotnet inside build.ps1 keeps the machine's SDK state and package cache (nothing is downloaded again).
        DOTNET_CLI_HOME  = $realHome
        NUGET_PACKAGES   = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $realHome '.nuget/packages' }
        # The README's `pwsh` is this pwsh.
        PATH             = (Split-Path (Get-PwshPath)) + [IO.Path]::PathSeparator + $env:PATH
    }
    $script:expected = @((Import-PowerShellDataFile (Get-HaStagedManifest)).CmdletsToExport | Sort-Object)
}

AfterAll {
    # Only ever the folder made above ($HOME is a different, automatic variable: never touch it).
    if ($script:tempHome -and (Split-Path $script:tempHome -Leaf) -like 'hatools-install-*' -and (Test-Path $script:tempHome)) {
        Remove-Item -LiteralPath $script:tempHome -Recurse -Force
    }
}

Describe "README's Install section" {
    It 'runs as written: package, publish to a local repository, install' {
        $script = "`$ErrorActionPreference = 'Stop'; `$PSNativeCommandUseErrorActionPreference = `$true`n" + ($script:block -join "`n")
        $run = Invoke-ChildPwsh -Script $script -Environment $script:env
        $run.ExitCode | Should -Be 0 -Because "$($run.Output)`n$($run.Errors)"
        $run.Errors | Should -BeNullOrEmpty
        Test-Path (Join-Path $script:RepoRoot "out/HaTools.$(Get-HaModuleVersion).nupkg") | Should -BeTrue
        $installed = Join-Path $script:tempHome ".local/share/powershell/Modules/HaTools/$(Get-HaModuleVersion)/HaTools.psd1"
        Test-Path $installed | Should -BeTrue -Because 'Install-PSResource installs into the (temporary) user scope'
        foreach ($name in $script:expected) { $run.Output | Should -Match ([regex]::Escape($name)) }
    }

    It 'a fresh pwsh imports HaTools by name from the install location with every cmdlet of the manifest' {
        $probe = @'
$ErrorActionPreference = 'Stop'
Import-Module HaTools
$m = Get-Module HaTools
$nodes = @((Get-HaCluster -Path ./examples/lab.yaml).Nodes).Count
@{ Base = $m.ModuleBase; Version = $m.Version.ToString(); Cmdlets = @($m.ExportedCmdlets.Keys | Sort-Object); Nodes = $nodes } | ConvertTo-Json
'@
        $run = Invoke-ChildPwsh -Script $probe -Environment $script:env
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $r = $run.Output | ConvertFrom-Json
        $r.Base | Should -BeLike "$($script:tempHome)/*"
        $r.Version | Should -Be (Get-HaModuleVersion)
        $r.Cmdlets | Should -Be $script:expected
        $r.Nodes | Should -Be 3 -Because 'the installed module loads its YamlDotNet from its dependencies folder'
    }
}

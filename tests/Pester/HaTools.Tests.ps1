#Requires -Version 5.1
# Pester 5 tests of the staged module (out/HaTools/<version>/). Stage it first:
#   dotnet build HaTools.sln -c Release && dotnet run --project build/HelpGen -c Release -- stage --configuration Release
# or ./build.ps1 -Task Test. Nothing here reaches a real node: the test cluster points at 127.0.0.1 port 1.

BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    [xml] $props = Get-Content (Join-Path $root 'Directory.Build.props') -Raw
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })[0]
    $manifest = Join-Path $root "out/HaTools/$version/HaTools.psd1"
    $cmdletNames = if (Test-Path $manifest) { (Import-PowerShellDataFile $manifest).CmdletsToExport } else { @() }
}

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    [xml] $props = Get-Content (Join-Path $root 'Directory.Build.props') -Raw
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })[0]
    $manifest = Join-Path $root "out/HaTools/$version/HaTools.psd1"
    if (-not (Test-Path $manifest)) { throw "$manifest is missing: stage the module first (./build.ps1 -Task Build)" }
    $script:module = Import-Module $manifest -Force -PassThru

    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("hatools-pester-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:work | Out-Null

    # Reachable by nobody: port 1 on loopback.
    $script:cluster = Join-Path $script:work 'cluster.yaml'
    Set-Content -Path $script:cluster -Encoding utf8 -Value @'
name: pester
stack: pacemaker
ssh:
  user: root
  port: 1
nodes:
  - name: node1
    address: 127.0.0.1
  - name: node2
    address: 127.0.0.2
'@

    # A node name that breaks the naming rule (reported at its line and column).
    $script:broken = Join-Path $script:work 'broken.yaml'
    Set-Content -Path $script:broken -Encoding utf8 -Value @'
name: pester
stack: pacemaker
nodes:
  - address: 127.0.0.1
    name: "-bad name"
'@
}

AfterAll {
    if ($script:module) { Remove-Module $script:module -Force -ErrorAction Ignore }
    if ($script:work -and (Test-Path $script:work)) { Remove-Item $script:work -Recurse -Force }
}

Describe 'Module shape' {
    It 'exports only cmdlets, each named Verb-Ha*' {
        $script:module.ExportedFunctions.Count | Should -Be 0
        $script:module.ExportedAliases.Count | Should -Be 0
        $script:module.ExportedCmdlets.Count | Should -BeGreaterThan 20
        $approved = (Get-Verb).Verb
        foreach ($name in $script:module.ExportedCmdlets.Keys) {
            $name | Should -Match '^[A-Za-z]+-Ha(st)?[A-Z]'
            ($name -split '-')[0] | Should -BeIn $approved
        }
    }

    It 'has a default view for every output type' {
        foreach ($cmd in $script:module.ExportedCmdlets.Values) {
            foreach ($type in $cmd.OutputType.Type | Where-Object { $_.FullName -like 'HaTools.*' }) {
                Get-FormatData -TypeName $type.FullName | Should -Not -BeNullOrEmpty -Because "$($cmd.Name) outputs $($type.FullName)"
            }
        }
    }
}

Describe 'Help' {
    It '<Name> has a synopsis and examples' -ForEach @($cmdletNames | ForEach-Object { @{ Name = $_ } }) {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name \[" -Because 'a synopsis equal to the syntax means the MAML help was not found'
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        @($help.Parameters.Parameter).Count | Should -BeGreaterThan 0
    }

    It 'has about_HaTools' {
        Get-Help about_HaTools | Out-String | Should -Match 'HATOOLS_CLUSTER'
    }
}

Describe '-WhatIf changes nothing and contacts no node' {
    It 'Start-HaBootstrap -WhatIf outputs the plan without errors' {
        $before = Get-FileHash $script:cluster
        $plan = Start-HaBootstrap -Path $script:cluster -WhatIf -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        @($plan).Count | Should -BeGreaterThan 0
        $plan | ForEach-Object { $_.GetType().Name | Should -Be 'PlanStep' }
        (Get-FileHash $script:cluster).Hash | Should -Be $before.Hash
    }

    It 'Send-HaFile -WhatIf writes nothing and reports no error' {
        $source = Join-Path $script:work 'payload.txt'
        Set-Content -Path $source -Value 'hello'
        $out = Send-HaFile -Path $script:cluster -SourcePath $source -Destination /tmp/hatools-pester.txt -WhatIf -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $out | Should -BeNullOrEmpty
    }

    It 'Invoke-HaCommand -WhatIf runs nothing' {
        $out = Invoke-HaCommand -Path $script:cluster -All -Command true -WhatIf -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $out | Should -BeNullOrEmpty
    }

    It 'New-HaCluster -WhatIf writes no file' {
        $file = Join-Path $script:work 'new.yaml'
        New-HaCluster -Name lab -Node n1=127.0.0.1 -Path $file -WhatIf
        Test-Path $file | Should -BeFalse
    }
}

Describe 'Errors' {
    It 'a broken cluster file gives ClusterFileInvalid with file:line:col' {
        $err = $null
        try { Get-HaStatus -Path $script:broken -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'ClusterFileInvalid,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$err" | Should -Match ([regex]::Escape($script:broken) + ':\d+:\d+: ')
        $err.TargetObject | Should -Be $script:broken
    }

    It 'Test-HaCluster -Offline lists the problems with positions' {
        $problems = Test-HaCluster -Path $script:broken -Offline -ErrorVariable errors -ErrorAction SilentlyContinue
        @($problems | Where-Object Severity -eq Error).Count | Should -BeGreaterThan 0
        @($problems | Where-Object Severity -eq Error)[0].Line | Should -BeGreaterThan 0
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterFileInvalid,*'
    }

    It 'a missing cluster file gives ClusterFileNotFound' {
        { Get-HaStatus -Path (Join-Path $script:work 'none.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ClusterFileNotFound,HaTools.PowerShell.Commands.GetHaStatusCommand'
    }

    It 'an unreachable node is a non-terminating NodeUnreachable error, one per node' {
        $results = Invoke-HaCommand -Path $script:cluster -All -Command true -ErrorVariable errors -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 2
        @($errors).Count | Should -Be 2
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'NodeUnreachable,*' }
        $errors | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'ConnectionError' }
        $errors.TargetObject | Sort-Object | Should -Be @('node1', 'node2')
    }
}

Describe 'Argument completion' {
    It 'completes node names from the cluster file' {
        $line = "Suspend-HaNode -Path '$($script:cluster)' -Name no"
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'node1'
    }
}

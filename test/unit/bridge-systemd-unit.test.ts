import { describe, expect, it } from 'vitest';
import { environmentFileText, unitText } from '../../src/bridge/service/systemd-unit.js';

const exec = (node: string, bin = '/opt/igtg/bin/igtg.js') =>
  /^ExecStart=(.*)$/m.exec(unitText({ profile: 'default', node, bin, envFile: '/home/a/.igtg/bridge.env' }))![1];

describe('the systemd user unit', () => {
  it('writes plain paths as they are and quotes paths with spaces', () => {
    expect(exec('/usr/bin/node')).toBe('/usr/bin/node /opt/igtg/bin/igtg.js --profile default bridge');
    expect(exec('/home/a/My Tools/node')).toBe(
      '"/home/a/My Tools/node" /opt/igtg/bin/igtg.js --profile default bridge',
    );
  });

  it('doubles % and $ so systemd takes them literally, quoted or not', () => {
    expect(exec('/srv/a%hb/node')).toBe('/srv/a%%hb/node /opt/igtg/bin/igtg.js --profile default bridge');
    // In the program's own path systemd substitutes no variables: its $ stays single.
    expect(exec('/srv/cost$HOME/node')).toBe('"/srv/cost$HOME/node" /opt/igtg/bin/igtg.js --profile default bridge');
    expect(exec('/usr/bin/node', '/srv/cost$HOME/igtg.js')).toBe(
      '/usr/bin/node "/srv/cost$$HOME/igtg.js" --profile default bridge',
    );
    expect(exec('/srv/say "hi"\\/node')).toBe(
      '"/srv/say \\"hi\\"\\\\/node" /opt/igtg/bin/igtg.js --profile default bridge',
    );
    const unit = unitText({ profile: 'p', node: '/n', bin: '/b', envFile: '/home/50%/bridge.env' });
    expect(unit).toContain('EnvironmentFile=-/home/50%%/bridge.env');
  });
});

describe('the environment file', () => {
  it('keeps IGTG_* settings, IGTG_SECRETS included, and never a secret', () => {
    const text = environmentFileText(
      {
        IGTG_SECRETS: 'file',
        IGTG_HOME: '/srv/igtg',
        IGTG_TELEGRAM_TOKEN: '123:abc',
        IGTG_INSTAGRAM_PASSWORD: 'hunter2',
        IGTG_SESSION: 'x',
        PATH: '/usr/bin',
      },
      'default',
    );
    expect(text.split('\n').filter((line) => !line.startsWith('#'))).toEqual([
      'IGTG_PROFILE=default',
      'IGTG_HOME=/srv/igtg',
      'IGTG_SECRETS=file',
      '',
    ]);
  });

  it('makes relative paths absolute (the service starts in the home folder) and drops empty values', () => {
    const settings = (env: NodeJS.ProcessEnv) =>
      environmentFileText(env, 'p', '/home/a/work')
        .split('\n')
        .filter((line) => line.startsWith('IGTG_') && !line.startsWith('IGTG_PROFILE'));
    expect(settings({ IGTG_HOME: './home', IGTG_DB: 'rel.db' })).toEqual([
      'IGTG_DB=/home/a/work/rel.db',
      'IGTG_HOME=/home/a/work/home',
    ]);
    expect(settings({ IGTG_DB: 'sqlite://data/igtg.db' })).toEqual(['IGTG_DB=sqlite:/home/a/work/data/igtg.db']);
    expect(settings({ IGTG_DB: 'mongodb://db.example/igtg' })).toEqual(['IGTG_DB=mongodb://db.example/igtg']);
    expect(settings({ IGTG_DB: '', IGTG_SECRETS: ' ' })).toEqual([]);
  });

  it('keeps the XDG folders igtg uses, which a user service would not see otherwise', () => {
    const text = environmentFileText(
      { XDG_DATA_HOME: '/srv/data', XDG_CONFIG_HOME: 'conf', XDG_STATE_HOME: '/srv/state', XDG_RUNTIME_DIR: '/run/u' },
      'p',
      '/home/a',
    );
    expect(text.split('\n').filter((line) => line.startsWith('XDG_'))).toEqual([
      'XDG_CONFIG_HOME=/home/a/conf',
      'XDG_DATA_HOME=/srv/data',
      'XDG_STATE_HOME=/srv/state',
    ]);
  });
});

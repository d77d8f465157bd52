import { CloseButton, Kbd, TextInput } from '@mantine/core';
import { type Ref } from 'react';
import { IconSearch } from '../../components/icons';

interface SearchBoxProps {
  value: string;
  onChange: (value: string) => void;
  onClear: () => void;
  inputRef: Ref<HTMLInputElement>;
}

export function SearchBox({ value, onChange, onClear, inputRef }: SearchBoxProps) {
  return (
    <TextInput
      ref={inputRef}
      type="search"
      aria-label="Search keys"
      placeholder="Search owner, description, tags, models…"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && value) {
          event.preventDefault();
          onClear();
        }
      }}
      leftSection={<IconSearch size={16} />}
      rightSectionWidth={value ? 36 : 40}
      rightSection={
        value ? (
          <CloseButton aria-label="Clear search" onClick={onClear} size="sm" />
        ) : (
          <Kbd size="xs" aria-hidden="true" title="Press / to search">
            /
          </Kbd>
        )
      }
      rightSectionPointerEvents={value ? 'all' : 'none'}
      w={{ base: '100%', sm: 380 }}
      maxLength={500}
    />
  );
}
